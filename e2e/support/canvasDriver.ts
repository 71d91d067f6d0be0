import type { Locator, Page } from 'playwright-core';

/** Drives the flow canvas the way a designer does: drag blocks from the palette, wire ports. */
export class CanvasDriver {
  constructor(private readonly page: Page) {}

  private get pane(): Locator {
    return this.page.locator('.canvas-wrap');
  }

  /** Drags a block from the palette and drops it at (x, y) of the canvas; answers the new node's id. */
  async drop(type: string, x: number, y: number): Promise<string> {
    const before = new Set(await this.nodeIds());
    await this.page.getByTestId(`palette-${type}`).dragTo(this.pane, { targetPosition: { x, y } });
    for (let i = 0; i < 50; i++) {
      const added = (await this.nodeIds()).find((id) => !before.has(id));
      if (added) return added;
      await this.page.waitForTimeout(50);
    }
    throw new Error(`dropping ${type} added no node`);
  }

  async nodeIds(): Promise<string[]> {
    return this.page.locator('.react-flow__node').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-id')!));
  }

  node(id: string): Locator {
    return this.page.locator(`.react-flow__node[data-id="${id}"]`);
  }

  async select(id: string): Promise<void> {
    await this.node(id).locator('.block-head').click();
  }

  /** Drags from a node's port handle to another node's input handle. */
  async connect(from: string, port: string, to: string): Promise<void> {
    const source = await this.node(from).locator(`.react-flow__handle.source[data-handleid="${port}"]`).boundingBox();
    const target = await this.node(to).locator('.react-flow__handle.target').boundingBox();
    if (!source || !target) throw new Error(`cannot see the handles ${from}.${port} → ${to}`);
    await this.page.mouse.move(source.x + source.width / 2, source.y + source.height / 2);
    await this.page.mouse.down();
    await this.page.mouse.move(target.x + target.width / 2, target.y + target.height / 2, { steps: 10 });
    await this.page.mouse.up();
  }

  edgeCount(): Promise<number> {
    return this.page.locator('.react-flow__edge').count();
  }
}
