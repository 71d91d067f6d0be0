/**
 * The staff verification page: static HTML whose small script calls `POST /api/v1/verify` with
 * the staff key kept in this browser tab's session storage. Everything shown is set as text.
 */
export const staffPageHtml = `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex">
<title>Verify a coupon · Couponflow</title>
<style>
*{box-sizing:border-box}body{margin:0;font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f4f4f6;color:#15171a}
main{max-width:440px;margin:0 auto;padding:24px 16px}h1{font-size:22px;margin:8px 0 20px}
.card{background:#fff;border-radius:16px;padding:20px;box-shadow:0 1px 3px rgba(0,0,0,.08);margin-bottom:16px}
label{display:block;font-weight:600;margin-bottom:6px}input{width:100%;font-size:20px;padding:12px;border:1px solid #c9ccd1;border-radius:10px;letter-spacing:.04em}
button{width:100%;margin-top:12px;font-size:17px;font-weight:600;padding:13px;border:0;border-radius:10px;background:#1f6feb;color:#fff;cursor:pointer}
button.link{background:none;color:#1f6feb;width:auto;padding:0;margin:0;font-size:14px}
.verdict{border-radius:16px;padding:20px;margin-bottom:16px}.ok{background:#e6f6ec;color:#0f5b2a}.bad{background:#fdecea;color:#8a1c13}
.verdict strong{display:block;font-size:22px;margin-bottom:6px}.hidden{display:none}dl{margin:0}dt{font-size:13px;opacity:.7}dd{margin:0 0 8px;font-weight:600;word-break:break-all}
</style></head><body><main>
<h1>Verify a coupon</h1>
<section id="signin" class="card">
<form id="signin-form"><label for="key">Staff key</label><input id="key" type="password" autocomplete="off" required>
<button type="submit">Sign in</button></form></section>
<section id="verify" class="hidden">
<div id="verdict" class="verdict hidden" role="status" aria-live="polite"><strong id="verdict-title"></strong><dl id="verdict-facts"></dl></div>
<div class="card"><form id="verify-form"><label for="code">Code or redemption id</label>
<input id="code" autocomplete="off" autocapitalize="characters" spellcheck="false" required autofocus>
<button type="submit">Verify</button></form></div>
<button id="signout" class="link" type="button">Sign out</button></section>
</main><script>
(function(){
var $=function(id){return document.getElementById(id)};
var reasons={not_found:'Unknown code',not_redeemed:'Not redeemed yet',already_verified:'Already used',expired:'Expired',revoked:'Revoked',code_not_unique:'Shared code: enter the redemption id',rate_limited:'Too many unknown codes, wait a minute',unauthorized:'The staff key is not valid',forbidden:'This key may not verify',feature_disabled:'Coupons are switched off'};
function show(signedIn){$('signin').classList.toggle('hidden',signedIn);$('verify').classList.toggle('hidden',!signedIn);}
function fact(dl,name,value){var dt=document.createElement('dt');dt.textContent=name;var dd=document.createElement('dd');dd.textContent=value;dl.appendChild(dt);dl.appendChild(dd);}
function verdict(ok,title,facts){var v=$('verdict');v.className='verdict '+(ok?'ok':'bad');$('verdict-title').textContent=title;var dl=$('verdict-facts');dl.textContent='';(facts||[]).forEach(function(f){fact(dl,f[0],f[1]);});}
show(!!sessionStorage.getItem('staffKey'));
$('signin-form').addEventListener('submit',function(e){e.preventDefault();sessionStorage.setItem('staffKey',$('key').value.trim());$('key').value='';show(true);$('code').focus();});
$('signout').addEventListener('click',function(){sessionStorage.removeItem('staffKey');show(false);});
$('verify-form').addEventListener('submit',function(e){e.preventDefault();var value=$('code').value.trim();if(!value)return;
var body=/^rdm_/.test(value)?{redemptionId:value}:{code:value};
fetch('/api/v1/verify',{method:'POST',headers:{'Content-Type':'application/json','Authorization':'Bearer '+sessionStorage.getItem('staffKey')},body:JSON.stringify(body)})
.then(function(r){return r.json().then(function(j){return{status:r.status,json:j};});})
.then(function(r){if(r.status===200){var x=r.json;verdict(true,'Verified ✓',[['Coupon',x.coupon.name],['Customer',x.customerId],['Code',x.code||''],['Redemption',x.id]]);$('code').value='';}
else{var code=r.json.error&&r.json.error.code;if(code==='unauthorized'){sessionStorage.removeItem('staffKey');show(false);}verdict(false,reasons[code]||'Not verified',[['Entered',value]]);}})
.catch(function(){verdict(false,'Network error, try again');});});
})();
</script></body></html>`;
