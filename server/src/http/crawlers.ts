/**
 * Link-preview fetchers and crawlers: their fetch of a redeem link is not the customer opening it.
 * LINE's in-app browser says `Line/13.x` and is a real customer, so LINE is matched by its
 * preview fetcher (`line-poker`, Linespider) only.
 */
const crawler =
  /facebookexternalhit|facebot|facebookcatalog|whatsapp|line-poker|linespider|twitterbot|slackbot|slack-imgproxy|discordbot|telegrambot|googlebot|google-inspectiontool|bingbot|linkedinbot|skypeuripreview|applebot|pinterestbot|embedly|redditbot|yandexbot|baiduspider|duckduckbot|iframely|[a-z]bot\/|crawler\/|spider\//i;

export function isCrawler(userAgent: string | undefined): boolean {
  return userAgent !== undefined && crawler.test(userAgent);
}
