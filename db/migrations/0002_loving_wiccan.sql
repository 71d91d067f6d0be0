CREATE TABLE `code_batches` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`coupon_id` text NOT NULL,
	`status` text NOT NULL,
	`started_at` integer NOT NULL,
	FOREIGN KEY (`coupon_id`) REFERENCES `coupons`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `coupon_audience` (
	`coupon_id` text NOT NULL,
	`customer_id` text NOT NULL,
	PRIMARY KEY(`coupon_id`, `customer_id`),
	FOREIGN KEY (`coupon_id`) REFERENCES `coupons`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
DROP INDEX `records_idempotency`;--> statement-breakpoint
ALTER TABLE `redemption_records` ADD `reversed_at` integer;--> statement-breakpoint
CREATE UNIQUE INDEX `records_coupon_idempotency` ON `redemption_records` (`coupon_id`,`idempotency_key`) WHERE idempotency_key is not null;--> statement-breakpoint
ALTER TABLE `coupon_codes` ADD `batch_id` text;--> statement-breakpoint
ALTER TABLE `coupons` ADD `external_id` text;--> statement-breakpoint
ALTER TABLE `coupons` ADD `discount` text;--> statement-breakpoint
ALTER TABLE `coupons` ADD `redemption_window` text;--> statement-breakpoint
ALTER TABLE `coupons` ADD `min_hours_between_redemptions` integer;--> statement-breakpoint
ALTER TABLE `coupons` ADD `redeemable_after_days` integer;--> statement-breakpoint
ALTER TABLE `coupons` ADD `audience` text;--> statement-breakpoint
ALTER TABLE `coupons` ADD `max_issued_total` integer;--> statement-breakpoint
ALTER TABLE `coupons` ADD `max_issued_per_customer` integer;--> statement-breakpoint
ALTER TABLE `coupons` ADD `low_stock_threshold` integer;--> statement-breakpoint
ALTER TABLE `coupons` ADD `low_stock_at` integer;--> statement-breakpoint
ALTER TABLE `coupons` ADD `issued_count` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `coupons` ADD `retired_codes` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `coupons_org_external_id` ON `coupons` (`org_id`,`external_id`) WHERE external_id is not null;--> statement-breakpoint
ALTER TABLE `organisations` ADD `time_zone` text DEFAULT 'UTC' NOT NULL;--> statement-breakpoint
ALTER TABLE `redemption_events` ADD `detail` text;