import type { PageDesign } from './pageDesign';
import type { PageChunks } from './renderDocument';

export interface PageFrame {
  before: PageChunks;
  after: PageChunks;
}

// A frame is some 9 KB; campaigns served at once are few. Past this many the cache starts again.
const maxFrames = 200;
const frames = new Map<string, PageFrame>();

/**
 * The page around its state's body, encoded once per design and `variant` (everything else it is
 * drawn from) while the design is cached (see pageDesign), and drawn afresh otherwise. Each side
 * goes out as one buffer.
 */
export function pageFrame(design: PageDesign, variant: string, draw: () => PageFrame): PageFrame {
  if (design.id === null) return draw();
  const key = `${design.id}\u0000${variant}`;
  let frame = frames.get(key);
  if (!frame) {
    const drawn = draw();
    if (frames.size >= maxFrames) frames.clear();
    frames.set(key, (frame = { before: [encoded(drawn.before)], after: [encoded(drawn.after)] }));
  }
  return frame;
}

const encoded = (chunks: PageChunks): Buffer => Buffer.concat(chunks.map((chunk) => (typeof chunk === 'string' ? Buffer.from(chunk) : chunk)));
