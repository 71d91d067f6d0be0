PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_redemption_events` (
	`id` integer PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`coupon_id` text,
	`record_id` text,
	`customer_id` text,
	`action` text NOT NULL,
	`outcome` text NOT NULL,
	`detail` text,
	`at` integer NOT NULL
);
--> statement-breakpoint
INSERT INTO `__new_redemption_events`("id", "org_id", "coupon_id", "record_id", "customer_id", "action", "outcome", "detail", "at") SELECT "id", "org_id", "coupon_id", "record_id", "customer_id", "action", "outcome", "detail", "at" FROM `redemption_events`;--> statement-breakpoint
DROP TABLE `redemption_events`;--> statement-breakpoint
ALTER TABLE `__new_redemption_events` RENAME TO `redemption_events`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE INDEX `events_coupon` ON `redemption_events` (`coupon_id`,`id`);