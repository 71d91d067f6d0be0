import { describe, expect, it } from 'vitest';
import { sendMessageConfigSchema } from './schema';

const ok = (data: unknown) => sendMessageConfigSchema.safeParse(data).success;
const button = (title: string, url = 'https://shop.example/sale') => ({ title, url });

describe('send_message config', () => {
  it('accepts the spec example: text with placeholders, an image and URL buttons', () => {
    expect(
      ok({
        text: 'Hi {{contact.firstName}}, your code {{ coupon.code }} is ready ({{vars.answer}})',
        imageUrl: 'https://cdn.example/banner.png',
        buttons: [button('Shop'), button('Local shop', 'http://shop.local/')],
      }),
    ).toBe(true);
    expect(ok({ text: 'Just text' })).toBe(true);
  });

  it('refuses empty or over-long text', () => {
    expect(ok({ text: '' })).toBe(false);
    expect(ok({ text: '   ' })).toBe(false);
    expect(ok({ text: 'x'.repeat(2001) })).toBe(false);
    expect(ok({ text: 'x'.repeat(2000) })).toBe(true);
  });

  it('names a placeholder the runtime would not fill', () => {
    const result = sendMessageConfigSchema.safeParse({ text: 'Hi {{user.name}}' });
    expect(result.error?.issues[0]?.message).toContain('{{user.name}}');
  });

  it('wants https images and http(s) buttons', () => {
    expect(ok({ text: 'a', imageUrl: 'http://cdn.example/banner.png' })).toBe(false);
    expect(ok({ text: 'a', buttons: [button('Shop', 'javascript:alert(1)')] })).toBe(false);
    expect(ok({ text: 'a', buttons: [button('Shop', 'not a url')] })).toBe(false);
  });

  it('allows at most three buttons, each titled in at most 20 characters', () => {
    expect(ok({ text: 'a', buttons: [button('1'), button('2'), button('3'), button('4')] })).toBe(false);
    expect(ok({ text: 'a', buttons: [button('x'.repeat(21))] })).toBe(false);
    expect(ok({ text: 'a', buttons: [button('x'.repeat(20))] })).toBe(true);
    expect(ok({ text: 'a', buttons: [button('')] })).toBe(false);
  });
});
