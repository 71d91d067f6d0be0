CREATE TABLE `broadcasts` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`flow_id` text NOT NULL,
	`version` integer NOT NULL,
	`inbox_id` text NOT NULL,
	`total` integer NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `flow_runs` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`flow_id` text NOT NULL,
	`version` integer NOT NULL,
	`inbox_id` text NOT NULL,
	`channel` text NOT NULL,
	`customer_id` text NOT NULL,
	`status` text NOT NULL,
	`current_node_id` text,
	`waiting_for` text,
	`wait_serial` integer DEFAULT 0 NOT NULL,
	`vars` text NOT NULL,
	`broadcast_id` text,
	`end_reason` text,
	`started_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`ended_at` integer
);
--> statement-breakpoint
CREATE INDEX `runs_contact` ON `flow_runs` (`org_id`,`inbox_id`,`customer_id`,`status`);--> statement-breakpoint
CREATE UNIQUE INDEX `runs_broadcast_customer` ON `flow_runs` (`broadcast_id`,`customer_id`);--> statement-breakpoint
CREATE INDEX `runs_flow` ON `flow_runs` (`flow_id`,`version`,`status`);--> statement-breakpoint
CREATE TABLE `flow_versions` (
	`flow_id` text NOT NULL,
	`version` integer NOT NULL,
	`org_id` text NOT NULL,
	`graph` text NOT NULL,
	`published_at` integer NOT NULL,
	PRIMARY KEY(`flow_id`, `version`)
);
--> statement-breakpoint
CREATE TABLE `flows` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`name` text NOT NULL,
	`draft` text NOT NULL,
	`published_version` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `flows_org` ON `flows` (`org_id`,`id`);--> statement-breakpoint
CREATE TABLE `inboxes` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`channel` text NOT NULL,
	`name` text NOT NULL,
	`credentials` text NOT NULL,
	`api_base_url` text,
	`rate_limit_per_second` integer NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `inboxes_org` ON `inboxes` (`org_id`,`id`);--> statement-breakpoint
CREATE TABLE `outbox` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`org_id` text NOT NULL,
	`inbox_id` text NOT NULL,
	`customer_id` text NOT NULL,
	`run_id` text,
	`node_id` text,
	`payload` text NOT NULL,
	`due_at` integer,
	`created_at` integer NOT NULL,
	`queued_at` integer
);
--> statement-breakpoint
CREATE INDEX `outbox_unqueued` ON `outbox` (`queued_at`,`id`);--> statement-breakpoint
CREATE TABLE `processed_events` (
	`inbox_id` text NOT NULL,
	`event_id` text NOT NULL,
	`processed_at` integer NOT NULL,
	PRIMARY KEY(`inbox_id`, `event_id`)
);
--> statement-breakpoint
CREATE TABLE `webchat_messages` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`inbox_id` text NOT NULL,
	`contact_id` text NOT NULL,
	`delivery_key` text NOT NULL,
	`type` text NOT NULL,
	`text` text,
	`image_url` text,
	`buttons` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `webchat_conversation` ON `webchat_messages` (`inbox_id`,`contact_id`,`seq`);--> statement-breakpoint
CREATE UNIQUE INDEX `webchat_delivery` ON `webchat_messages` (`delivery_key`);