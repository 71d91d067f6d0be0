import { createHash } from 'node:crypto';

/**
 * The page's only script, the same bytes on every page (it reads what it needs from the DOM), so a
 * Content-Security-Policy can allow exactly it by hash. It adds: local times, the copy button
 * (hidden without JS), and redeeming with fetch — the <form method="post"> works without it.
 */
export const pageScript = `(() => {
const d = document;
for (const t of d.querySelectorAll('time[data-local]')) {
  const date = new Date(t.dateTime);
  if (!isNaN(date)) t.textContent = date.toLocaleString(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' });
}
const copy = d.getElementById('copy');
if (copy) {
  const label = copy.querySelector('span');
  const idle = label.textContent;
  copy.hidden = false;
  copy.addEventListener('click', async () => {
    const code = copy.dataset.code;
    try {
      await navigator.clipboard.writeText(code);
    } catch {
      const area = d.createElement('textarea');
      area.value = code;
      area.setAttribute('readonly', '');
      area.style.position = 'fixed';
      area.style.opacity = '0';
      d.body.append(area);
      area.select();
      d.execCommand('copy');
      area.remove();
    }
    label.textContent = copy.dataset.done;
    copy.classList.add('done');
    setTimeout(() => { label.textContent = idle; copy.classList.remove('done'); }, 2000);
  });
}
const form = d.getElementById('redeem');
if (form) {
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (form.hasAttribute('data-preview')) return;
    const button = form.querySelector('button');
    const error = d.getElementById('redeem-error');
    button.disabled = true;
    button.setAttribute('aria-busy', 'true');
    error.hidden = true;
    try {
      const res = await fetch(form.action, { method: 'POST', headers: { accept: 'application/json' }, credentials: 'same-origin' });
      if (res.status >= 500) throw new Error(String(res.status));
      location.reload();
    } catch {
      button.disabled = false;
      button.removeAttribute('aria-busy');
      error.hidden = false;
    }
  });
}
})();`;

/** For the Content-Security-Policy header: script-src 'sha256-…'. */
export const pageScriptHash = `'sha256-${createHash('sha256').update(pageScript, 'utf8').digest('base64')}'`;
