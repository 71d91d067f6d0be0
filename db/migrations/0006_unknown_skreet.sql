DROP INDEX `events_org_coupon`;--> statement-breakpoint
CREATE INDEX `events_coupon` ON `redemption_events` (`coupon_id`,`id`);