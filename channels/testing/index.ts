export { FakePlatform, type FakeAnswer, type RecordedRequest } from './fakePlatform';
export { FakeLine } from './fakeLine';
export { FakeMessenger } from './fakeMessenger';
export { FakeWhatsapp } from './fakeWhatsapp';
export { FakeBotframework } from './fakeBotframework';
export { openApiValidator } from './openApiValidator';
export { hubSignature } from './metaSigning';
