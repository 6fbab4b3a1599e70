import { describe, expect, it } from 'vitest';
import { BoundedQueue } from '../../src/sinks/boundedQueue.ts';

describe('BoundedQueue', () => {
  it('keeps FIFO order across wrap-around and evicts the oldest when full', () => {
    const q = new BoundedQueue<number>(3);
    expect([q.push(1), q.push(2), q.push(3)]).toEqual([undefined, undefined, undefined]);
    expect(q.full).toBe(true);
    expect(q.push(4)).toBe(1);
    expect(q.shift()).toBe(2);
    q.push(5);
    expect(q.push(6)).toBe(3);
    expect(q.clear()).toEqual([4, 5, 6]);
    expect(q.length).toBe(0);
    expect(q.shift()).toBeUndefined();
  });

  it('whenRoom resolves on shift or clear, not before', async () => {
    const q = new BoundedQueue<string>(1);
    q.push('a');
    let woke = 0;
    void q.whenRoom().then(() => woke++);
    await Promise.resolve();
    expect(woke).toBe(0);
    q.shift();
    await Promise.resolve();
    expect(woke).toBe(1);
    q.push('b');
    void q.whenRoom().then(() => woke++);
    q.clear();
    await Promise.resolve();
    expect(woke).toBe(2);
    await expect(q.whenRoom()).resolves.toBeUndefined();
    expect(() => new BoundedQueue(0)).toThrow(/queue capacity 0/);
  });
});
