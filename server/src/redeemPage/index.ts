export { redeemPageChunks, renderRedeemPage, type RedeemPageOptions } from './renderRedeemPage';
export type { PageChunks } from './renderDocument';
export { renderNotFoundPage } from './renderNotFoundPage';
export { renderPreview, type PreviewOptions } from './renderPreview';
export { renderBarcodeSvg, type BarcodeDisplay } from './renderBarcodeSvg';
export { redeemPageCsp } from './contentSecurityPolicy';
export { resolveSettings } from './resolveSettings';
