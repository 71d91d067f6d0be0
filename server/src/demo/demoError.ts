/** A failure the demo explains to the user in plain words (printed without a stack trace). */
export class DemoError extends Error {}
