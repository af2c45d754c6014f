import { LoginThrottle } from './login-throttle';

const MINUTE = 60_000;

function fail(throttle: LoginThrottle, username: string, address: string, times: number, at: number): void {
  for (let i = 0; i < times; i++) throttle.recordFailure(username, address, at);
}

describe('LoginThrottle', () => {
  it('lets five failures from an address pass, then doubles the wait from 5 s up to 15 minutes', () => {
    const throttle = new LoginThrottle();
    const at = 1_000_000;
    fail(throttle, 'admin', '203.0.113.1', 4, at);
    expect(throttle.retryAfterSeconds('someone', '203.0.113.1', at)).toBe(0);
    const waits: number[] = [];
    for (let n = 5; n <= 16; n++) {
      throttle.recordFailure(`user-${n}`, '203.0.113.1', at);
      waits.push(throttle.retryAfterSeconds('someone', '203.0.113.1', at));
    }
    expect(waits).toEqual([5, 10, 20, 40, 80, 160, 320, 640, 900, 900, 900, 900]);
    expect(throttle.retryAfterSeconds('someone', '203.0.113.2', at)).toBe(0);
  });

  it('lets ten failures for a user pass, then doubles the wait from 5 s up to one minute, from any address', () => {
    const throttle = new LoginThrottle();
    const at = 1_000_000;
    for (let n = 1; n <= 9; n++) throttle.recordFailure('admin', `198.51.100.${n}`, at);
    expect(throttle.retryAfterSeconds('admin', '192.0.2.1', at)).toBe(0);
    const waits: number[] = [];
    for (let n = 10; n <= 18; n++) {
      throttle.recordFailure('admin', `198.51.100.${n}`, at);
      waits.push(throttle.retryAfterSeconds('admin', '192.0.2.1', at));
    }
    expect(waits).toEqual([5, 10, 20, 40, 60, 60, 60, 60, 60]);
    expect(throttle.retryAfterSeconds('other-user', '192.0.2.1', at)).toBe(0);
  });

  it('counts the wait from the last failure and forgets failures after 15 quiet minutes', () => {
    const throttle = new LoginThrottle();
    const at = 1_000_000;
    fail(throttle, 'admin', '203.0.113.1', 7, at);
    expect(throttle.retryAfterSeconds('admin', '203.0.113.1', at)).toBe(20);
    expect(throttle.retryAfterSeconds('admin', '203.0.113.1', at + 15_000)).toBe(5);
    expect(throttle.retryAfterSeconds('admin', '203.0.113.1', at + 20_000)).toBe(0);
    throttle.recordFailure('admin', '203.0.113.1', at + 15 * MINUTE + 1);
    expect(throttle.retryAfterSeconds('admin', '203.0.113.1', at + 15 * MINUTE + 1)).toBe(0);
  });

  it('spares an address the user logged in from when the user is under attack, and clears the user on success', () => {
    const throttle = new LoginThrottle();
    const at = 1_000_000;
    throttle.recordSuccess('admin', '192.0.2.10');
    for (let n = 1; n <= 15; n++) throttle.recordFailure('admin', `198.51.100.${n}`, at);
    expect(throttle.retryAfterSeconds('admin', '192.0.2.99', at)).toBe(60);
    expect(throttle.retryAfterSeconds('admin', '192.0.2.10', at)).toBe(0);
    throttle.recordSuccess('admin', '192.0.2.10');
    expect(throttle.retryAfterSeconds('admin', '192.0.2.99', at)).toBe(0);
  });
});
