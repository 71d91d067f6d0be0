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
-- Written by hand: the pools' codes carried over (drizzle-kit only creates and drops). Codes of a
-- batch that never completed were never counted nor handed out, and are left behind.
INSERT INTO `code_spaces` (`org_id`) SELECT DISTINCT `org_id` FROM `coupon_codes` ORDER BY `org_id`;--> statement-breakpoint
INSERT INTO `pools` (`coupon_id`, `space_id`) SELECT DISTINCT c.`coupon_id`, s.`id` FROM `coupon_codes` c JOIN `code_spaces` s ON s.`org_id` = c.`org_id` ORDER BY c.`coupon_id`;--> statement-breakpoint
INSERT INTO `pool_codes` (`pool_id`, `space_id`, `code`, `record_id`) SELECT p.`id`, p.`space_id`, c.`code`, c.`record_id` FROM `coupon_codes` c JOIN `pools` p ON p.`coupon_id` = c.`coupon_id` WHERE c.`batch_id` IS NULL OR c.`batch_id` IN (SELECT `id` FROM `code_batches` WHERE `status` = 'complete') ORDER BY c.`id`;--> statement-breakpoint
DROP TABLE `code_batches`;--> statement-breakpoint
DROP TABLE `coupon_codes`;--> statement-breakpoint
DROP INDEX `events_org_coupon`;--> statement-breakpoint
CREATE INDEX `events_coupon` ON `redemption_events` (`coupon_id`,`id`);