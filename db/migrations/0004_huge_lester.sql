ALTER TABLE `contacts` ADD `name` text;--> statement-breakpoint
ALTER TABLE `contacts` ADD `last_inbound_at` integer;--> statement-breakpoint
ALTER TABLE `contacts` ADD `channel_data` text;--> statement-breakpoint
ALTER TABLE `inboxes` ADD `offer_template` text;--> statement-breakpoint
ALTER TABLE `inboxes` ADD `updated_at` integer;