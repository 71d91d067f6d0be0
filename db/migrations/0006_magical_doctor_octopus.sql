CREATE TABLE `code_spaces` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`org_id` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `code_spaces_org` ON `code_spaces` (`org_id`);--> statement-breakpoint
CREATE TABLE `pool_batches` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`coupon_id` text NOT NULL,
	`pool_id` integer NOT NULL,
	`after_code_id` integer NOT NULL,
	`status` text NOT NULL,
	`started_at` integer NOT NULL,
	FOREIGN KEY (`coupon_id`) REFERENCES `coupons`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`pool_id`) REFERENCES `pools`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `pool_codes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`pool_id` integer NOT NULL,
	`space_id` integer NOT NULL,
	`code` text NOT NULL,
	`record_id` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `pool_codes_space_code` ON `pool_codes` (`space_id`,`code`);--> statement-breakpoint
CREATE INDEX `pool_codes_free` ON `pool_codes` (`pool_id`,`id`) WHERE record_id is null;--> statement-breakpoint
CREATE TABLE `pools` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`coupon_id` text NOT NULL,
	`space_id` integer NOT NULL,
	FOREIGN KEY (`coupon_id`) REFERENCES `coupons`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`space_id`) REFERENCES `code_spaces`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `pools_coupon` ON `pools` (`coupon_id`);--> statement-breakpoint
DROP TABLE `code_batches`;--> statement-breakpoint
DROP TABLE `coupon_codes`;