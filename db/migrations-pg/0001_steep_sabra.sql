DROP INDEX "records_coupon_customer";--> statement-breakpoint
DROP INDEX "records_org_code";--> statement-breakpoint
DROP INDEX "records_coupon_expiry";--> statement-breakpoint
CREATE INDEX "records_coupon_customer" ON "redemption_records" USING btree ("coupon_id","customer_id");--> statement-breakpoint
CREATE INDEX "records_org_code" ON "redemption_records" USING btree ("org_id","code") WHERE code is not null;--> statement-breakpoint
CREATE INDEX "records_coupon_expiry" ON "redemption_records" USING btree ("coupon_id","status","expires_at") WHERE expires_at is not null;