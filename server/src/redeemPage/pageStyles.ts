import { colorOr } from './safeValues';

export interface PageTheme {
  background: string;
  button: string;
  buttonText: string;
}

export const defaultTheme: PageTheme = { background: '#f4f4f6', button: '#1f6feb', buttonText: '#ffffff' };

/** The coupon's colours, each one a checked #rrggbb (or the default). */
export function resolveTheme(theme: Partial<PageTheme>): PageTheme {
  return {
    background: colorOr(theme.background, defaultTheme.background),
    button: colorOr(theme.button, defaultTheme.button),
    buttonText: colorOr(theme.buttonText, defaultTheme.buttonText),
  };
}

export function themeCss({ background, button, buttonText }: PageTheme): string {
  return `:root{--bg:${background};--btn:${button};--btn-text:${buttonText}}`;
}

/** Static stylesheet shared by every redeem page (mobile first; one column up to 440px). */
export const pageCss = `
*,*::before,*::after{box-sizing:border-box}
[hidden]{display:none!important}
html{-webkit-text-size-adjust:100%}
body{margin:0;min-height:100vh;min-height:100dvh;background:var(--bg);color:#1d2330;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;-webkit-font-smoothing:antialiased}
.page{max-width:440px;margin:0 auto;padding:max(16px,env(safe-area-inset-top)) 16px max(24px,env(safe-area-inset-bottom))}
.card{position:relative;background:#fff;border-radius:24px;box-shadow:0 1px 2px rgba(16,24,40,.06),0 12px 32px rgba(16,24,40,.12);overflow:hidden}
.hero{display:block;width:100%;height:auto;max-height:260px;object-fit:cover;background:#eceef2}
.head{display:flex;align-items:center;gap:14px;padding:22px 22px 18px}
.brand{flex:none;width:48px;height:48px;border-radius:14px;object-fit:cover;background:#f1f2f5;box-shadow:0 0 0 1px rgba(16,24,40,.06)}
.hero+.head .brand{margin-top:-46px;width:64px;height:64px;border-radius:18px;border:3px solid #fff;box-shadow:0 4px 12px rgba(16,24,40,.18)}
.hero+.head{align-items:flex-end}
h1{margin:0;font-size:22px;line-height:1.25;font-weight:750;letter-spacing:-.01em;overflow-wrap:anywhere}
.perf{position:relative;margin:0 22px;border-top:2px dashed #e3e6ec}
.perf::before,.perf::after{content:"";position:absolute;top:-13px;width:24px;height:24px;border-radius:50%;background:var(--bg)}
.perf::before{left:-35px}.perf::after{right:-35px}
.body{padding:22px;text-align:center}
.badge{display:inline-flex;align-items:center;gap:6px;padding:4px 12px 4px 9px;border-radius:999px;background:#e7f6ec;color:#137333;font-size:13px;font-weight:650}
.badge .icon{width:16px;height:16px;stroke-width:3}
.discount{margin:4px 0 0;font-size:22px;font-weight:750;color:var(--btn);overflow-wrap:anywhere}
.lead{margin:12px 0 18px;font-size:19px;line-height:1.35;font-weight:650;overflow-wrap:anywhere}
.code{margin:0 auto;padding:12px;border-radius:16px;background:#fff;border:1px solid #e6e8ee}
.code svg{display:block;width:100%;height:auto;margin:0 auto}
.code-qrcode svg{max-width:240px}
.code-ean13 svg{max-width:300px}
.code-text{padding:22px 12px;border:2px dashed #cfd5df;background:#f8f9fb}
.code-text p{margin:0;font:700 clamp(22px,8vw,32px)/1.2 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;letter-spacing:.08em;overflow-wrap:anywhere;user-select:all;-webkit-user-select:all}
.masked{display:flex;flex-direction:column;align-items:center;gap:8px;padding:26px 16px;border-radius:16px;border:2px dashed #cfd5df;background:repeating-linear-gradient(135deg,#f8f9fb 0 10px,#f1f3f6 10px 20px);color:#5b6472;font-size:14px}
.masked .icon{width:30px;height:30px;color:#8a93a2}
.masked b{font:700 26px/1 ui-monospace,SFMono-Regular,Menlo,monospace;letter-spacing:.3em;color:#b3bac6}
.actions{display:grid;gap:10px;margin-top:18px}
.btn{display:flex;align-items:center;justify-content:center;gap:8px;width:100%;min-height:54px;padding:14px 20px;border:0;border-radius:16px;background:var(--btn);color:var(--btn-text);font:inherit;font-size:17px;font-weight:650;text-decoration:none;cursor:pointer;-webkit-tap-highlight-color:transparent;transition:transform .08s ease,filter .15s ease,opacity .15s}
.btn:active{transform:scale(.98);filter:brightness(.95)}
.btn:focus-visible{outline:3px solid var(--btn);outline-offset:3px}
.btn[disabled]{opacity:.75;cursor:progress}
.btn[aria-busy=true]::before{content:"";width:18px;height:18px;border:2px solid currentColor;border-right-color:transparent;border-radius:50%;animation:spin .7s linear infinite}
@keyframes spin{to{transform:rotate(360deg)}}
.btn .icon{width:20px;height:20px}
.btn-soft{background:#eef0f4;color:#1d2330}
.btn-soft.done{background:#e7f6ec;color:#137333}
form{margin:18px 0 0}
.hint{margin:14px 4px 0;color:#5b6472;font-size:14px}
.error{margin:12px 0 0;color:#b42318;font-size:14px;font-weight:600}
.meta{display:flex;align-items:center;justify-content:center;gap:6px;margin:16px 0 0;color:#5b6472;font-size:14px}
.meta .icon{width:16px;height:16px}
.state{padding:10px 4px 6px}
.state-icon{display:inline-grid;place-items:center;width:64px;height:64px;border-radius:50%;background:#f1f2f5;color:#5b6472}
.state-icon .icon{width:30px;height:30px}
.state-ok .state-icon{background:#e7f6ec;color:#137333}
.state-bad .state-icon{background:#fdecea;color:#b42318}
.state h2{margin:14px 0 0;font-size:19px;line-height:1.35;font-weight:650;overflow-wrap:anywhere}
.used-code{margin:10px 0 0;font:600 15px ui-monospace,SFMono-Regular,Menlo,monospace;color:#8a93a2;text-decoration:line-through;overflow-wrap:anywhere}
.terms{border-top:1px solid #eef0f4;text-align:left}
.terms summary{display:flex;justify-content:space-between;align-items:center;padding:16px 22px;font-size:15px;font-weight:600;color:#3b4453;cursor:pointer;list-style:none}
.terms summary::-webkit-details-marker{display:none}
.terms summary::after{content:"";width:8px;height:8px;border:solid #8a93a2;border-width:0 2px 2px 0;transform:rotate(45deg);transition:transform .2s}
.terms[open] summary::after{transform:rotate(-135deg)}
.terms-body{padding:0 22px 18px;color:#4a5261;font-size:14px;overflow-wrap:anywhere}
.terms-body p,.terms-body ul,.terms-body ol{margin:0 0 10px}
.terms-body ul,.terms-body ol{padding-left:20px}
.terms-body h3{margin:14px 0 6px;font-size:15px;color:#1d2330}
.terms-body a{color:inherit}
.preview-flag{display:table;margin:0 auto 12px;padding:3px 12px;border-radius:999px;background:#fff;color:#3b4453;box-shadow:0 1px 3px rgba(16,24,40,.18);font-size:12px;font-weight:700;letter-spacing:.08em;text-transform:uppercase}
@media (prefers-reduced-motion:reduce){.btn{transition:none}.btn[aria-busy=true]::before{animation-duration:2s}}
`.trim().replace(/\n/g, '');
