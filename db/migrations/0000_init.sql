CREATE TABLE `api_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`role` text NOT NULL,
	`name` text,
	`key_hash` text NOT NULL,
	`created_at` integer NOT NULL,
	`revoked_at` integer,
	FOREIGN KEY (`org_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_keys_hash` ON `api_keys` (`key_hash`);--> statement-breakpoint
CREATE INDEX `api_keys_org` ON `api_keys` (`org_id`);--> statement-breakpoint
CREATE TABLE `contact_tags` (
	`org_id` text NOT NULL,
	`contact_id` text NOT NULL,
	`tag` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`contact_id`, `tag`),
	FOREIGN KEY (`contact_id`) REFERENCES `contacts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `contact_tags_org_tag` ON `contact_tags` (`org_id`,`tag`);--> statement-breakpoint
CREATE TABLE `contacts` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`inbox_id` text NOT NULL,
	`customer_id` text NOT NULL,
	`attributes` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `contacts_org_inbox_customer` ON `contacts` (`org_id`,`inbox_id`,`customer_id`);--> statement-breakpoint
CREATE TABLE `coupon_codes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`org_id` text NOT NULL,
	`coupon_id` text NOT NULL,
	`code` text NOT NULL,
	`record_id` text,
	FOREIGN KEY (`coupon_id`) REFERENCES `coupons`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `coupon_codes_org_code` ON `coupon_codes` (`org_id`,`code`);--> statement-breakpoint
CREATE INDEX `coupon_codes_free` ON `coupon_codes` (`coupon_id`,`id`) WHERE record_id is null;--> statement-breakpoint
CREATE TABLE `coupons` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`name` text NOT NULL,
	`code_type` text NOT NULL,
	`code_value` text,
	`code_length` integer,
	`code_charset` text,
	`code_prefix` text,
	`starts_at` integer NOT NULL,
	`ends_at` integer,
	`total_limit` integer,
	`per_customer_limit` integer,
	`active` integer NOT NULL,
	`revoked_at` integer,
	`usage_expiry` text NOT NULL,
	`redeem_page` text NOT NULL,
	`contact_tags` text NOT NULL,
	`redeemed_count` integer DEFAULT 0 NOT NULL,
	`pool_size` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `coupons_org` ON `coupons` (`org_id`,`id`);--> statement-breakpoint
CREATE UNIQUE INDEX `coupons_org_common_code` ON `coupons` (`org_id`,`code_value`) WHERE code_value is not null;--> statement-breakpoint
CREATE TABLE `organisations` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`features` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `redemption_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`org_id` text NOT NULL,
	`coupon_id` text,
	`record_id` text,
	`customer_id` text,
	`action` text NOT NULL,
	`outcome` text NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `events_org_coupon` ON `redemption_events` (`org_id`,`coupon_id`,`id`);--> statement-breakpoint
CREATE TABLE `redemption_records` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`coupon_id` text NOT NULL,
	`customer_id` text NOT NULL,
	`inbox_id` text NOT NULL,
	`channel` text NOT NULL,
	`status` text NOT NULL,
	`code` text,
	`token` text NOT NULL,
	`idempotency_key` text,
	`sent_at` integer NOT NULL,
	`opened_at` integer,
	`redeemed_at` integer,
	`verified_at` integer,
	`expires_at` integer,
	`revoked_at` integer,
	`flow_run_id` text,
	`node_id` text,
	FOREIGN KEY (`coupon_id`) REFERENCES `coupons`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `records_token` ON `redemption_records` (`token`);--> statement-breakpoint
CREATE UNIQUE INDEX `records_idempotency` ON `redemption_records` (`org_id`,`idempotency_key`) WHERE idempotency_key is not null;--> statement-breakpoint
CREATE INDEX `records_coupon_customer` ON `redemption_records` (`coupon_id`,`customer_id`,`status`);--> statement-breakpoint
CREATE INDEX `records_coupon_sent` ON `redemption_records` (`coupon_id`,`id`);--> statement-breakpoint
CREATE INDEX `records_org_code` ON `redemption_records` (`org_id`,`code`);--> statement-breakpoint
CREATE INDEX `records_coupon_expiry` ON `redemption_records` (`coupon_id`,`status`,`expires_at`);