CREATE TABLE `web_sessions` (
	`id_hash` text PRIMARY KEY NOT NULL,
	`key_id` text,
	`instance_admin` integer NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `web_sessions_key` ON `web_sessions` (`key_id`);--> statement-breakpoint
ALTER TABLE `api_keys` ADD `last_used_at` integer;--> statement-breakpoint
ALTER TABLE `flow_runs` ADD `path` text DEFAULT '[]' NOT NULL;