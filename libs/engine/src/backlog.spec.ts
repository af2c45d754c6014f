import { Backlog } from './backlog';

/** Lets every settled promise run its callbacks. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}

function track(promise: Promise<boolean>) {
  const state: { entered?: boolean } = {};
  void promise.then((entered) => (state.entered = entered));
  return state;
}

describe('Backlog', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('takes places at once up to the limit', async () => {
    const backlog = new Backlog(2);
    await expect(backlog.enter(1000)).resolves.toBe(true);
    await expect(backlog.enter(1000)).resolves.toBe(true);
    expect(backlog.size).toBe(2);
  });

  it('makes the next caller wait for a place given back, and hands that place over', async () => {
    const backlog = new Backlog(1);
    await backlog.enter(1000);
    const second = track(backlog.enter(1000));
    await settle();
    expect(second.entered).toBeUndefined();
    expect(backlog.waiters).toBe(1);
    backlog.leave();
    await settle();
    expect(second.entered).toBe(true);
    expect(backlog.size).toBe(1);
    expect(backlog.waiters).toBe(0);
  });

  it('serves waiting callers in order, and a newcomer does not pass them', async () => {
    const backlog = new Backlog(1);
    await backlog.enter(1000);
    const order: string[] = [];
    void backlog.enter(1000).then(() => order.push('first'));
    void backlog.enter(1000).then(() => order.push('second'));
    backlog.leave();
    await settle();
    // A place is free only for the one waiting longest; a third caller queues behind the second.
    void backlog.enter(1000).then(() => order.push('third'));
    backlog.leave();
    await settle();
    backlog.leave();
    await settle();
    expect(order).toEqual(['first', 'second', 'third']);
  });

  it('tells a caller no after waiting waitMs, without taking a place', async () => {
    const backlog = new Backlog(1);
    await backlog.enter(1000);
    const late = track(backlog.enter(200));
    jest.advanceTimersByTime(199);
    await settle();
    expect(late.entered).toBeUndefined();
    jest.advanceTimersByTime(1);
    await settle();
    expect(late.entered).toBe(false);
    expect(backlog.waiters).toBe(0);
    backlog.leave();
    expect(backlog.size).toBe(0);
  });

  it('takes a free place at once with enterNow, and none while others wait', async () => {
    const backlog = new Backlog(1);
    expect(backlog.enterNow()).toBe(true);
    expect(backlog.enterNow()).toBe(false);
    const waiting = track(backlog.enter(1000));
    backlog.leave();
    await settle();
    expect(waiting.entered).toBe(true);
    expect(backlog.enterNow()).toBe(false);
    expect(backlog.size).toBe(1);
  });

  it('answers no at once when full and the caller will not wait', async () => {
    const backlog = new Backlog(1);
    await backlog.enter(0);
    await expect(backlog.enter(0)).resolves.toBe(false);
    expect(backlog.size).toBe(1);
  });

  it('refuses a limit below one and a leave without a place', () => {
    expect(() => new Backlog(0)).toThrow('limit must be a whole number of at least 1, got 0');
    expect(() => new Backlog(1).leave()).toThrow('leave() without a place taken');
  });
});
