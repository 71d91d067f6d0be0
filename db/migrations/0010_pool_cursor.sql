-- A pool hands out its codes in id order, so the taken codes of a pool are those up to the last one
-- taken: the coupon keeps that id, and the code→record links move to their own table.
CREATE TABLE `taken_codes` (
	`code_id` integer PRIMARY KEY NOT NULL,
	`record_id` text NOT NULL
);
--> statement-breakpoint
INSERT INTO `taken_codes` (`code_id`, `record_id`) SELECT `id`, `record_id` FROM `pool_codes` WHERE `record_id` IS NOT NULL ORDER BY `id`;--> statement-breakpoint
ALTER TABLE `coupons` ADD `last_taken_code_id` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
UPDATE `coupons` SET `last_taken_code_id` = coalesce((SELECT max(`c`.`id`) FROM `pool_codes` `c` JOIN `pools` `p` ON `p`.`id` = `c`.`pool_id` WHERE `p`.`coupon_id` = `coupons`.`id` AND `c`.`record_id` IS NOT NULL), 0);--> statement-breakpoint
DROP INDEX `pool_codes_free`;--> statement-breakpoint
CREATE INDEX `pool_codes_pool` ON `pool_codes` (`pool_id`,`id`);--> statement-breakpoint
ALTER TABLE `pool_codes` DROP COLUMN `record_id`;
