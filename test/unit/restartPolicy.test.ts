/**
 * The client's restart policy for a crashing language server: up to four restarts within three
 * minutes, then a stop with one message; crashes spread out over time keep being restarted, and a
 * start after a stop gets the full budget again.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_RESTARTS, RESTART_WINDOW_MS, RestartPolicy, type CrashDecision } from '../../client/src/restartPolicy';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;

/** A policy on a clock the test moves. */
function policyWithClock(): { policy: RestartPolicy; advance: (milliseconds: number) => void } {
  let now = 1_000_000;
  return { policy: new RestartPolicy({ now: () => now }), advance: (milliseconds) => (now += milliseconds) };
}

function actions(decisions: readonly CrashDecision[]): string[] {
  return decisions.map((decision) => decision.action);
}

describe('restart policy', () => {
  it('restarts four times within three minutes, then stops with one message', () => {
    assert.equal(MAX_RESTARTS, 4);
    assert.equal(RESTART_WINDOW_MS, 3 * MINUTE);
    const { policy, advance } = policyWithClock();
    const decisions: CrashDecision[] = [];
    for (let crash = 0; crash < 5; crash++) {
      decisions.push(policy.onCrash());
      advance(10 * SECOND);
    }
    assert.deepEqual(actions(decisions), ['restart', 'restart', 'restart', 'restart', 'stop']);
    assert.deepEqual(
      decisions.map((decision) => (decision.action === 'restart' ? decision.restart : decision.crashes)),
      [1, 2, 3, 4, 5],
    );
    const stop = decisions[4]!;
    assert.match(stop.message, /crashed 5 times within 3 minutes and will not be restarted/);
    assert.match(stop.message, /Restart Server/, 'the message says how to start it again');
    assert.match(decisions[0]!.message, /restart 1 of at most 4 within 3 minutes/);
  });

  it('keeps restarting a server that crashes less often than that', () => {
    const { policy, advance } = policyWithClock();
    const decisions: CrashDecision[] = [];
    for (let crash = 0; crash < 20; crash++) {
      decisions.push(policy.onCrash());
      advance(50 * SECOND); // four crashes span 150 s: never five within three minutes
    }
    assert.deepEqual(new Set(actions(decisions)), new Set(['restart']));
  });

  it('counts only the crashes inside the window', () => {
    const { policy, advance } = policyWithClock();
    for (let crash = 0; crash < 4; crash++) assert.equal(policy.onCrash().action, 'restart');
    advance(RESTART_WINDOW_MS); // the four earlier crashes age out together
    const decision = policy.onCrash();
    assert.equal(decision.action === 'restart' ? decision.restart : 'stopped', 1);
  });

  it('gives a start after a stop the full budget again', () => {
    const { policy, advance } = policyWithClock();
    const first: CrashDecision[] = [];
    for (let crash = 0; crash < 5; crash++) first.push(policy.onCrash());
    assert.equal(first.filter((decision) => decision.action === 'stop').length, 1, 'told once');
    advance(SECOND);
    const second: CrashDecision[] = [];
    for (let crash = 0; crash < 5; crash++) second.push(policy.onCrash());
    assert.deepEqual(actions(second), ['restart', 'restart', 'restart', 'restart', 'stop']);
  });

  it('follows its options', () => {
    const policy = new RestartPolicy({ maxRestarts: 1, windowMs: MINUTE, now: () => 0 });
    assert.deepEqual(actions([policy.onCrash(), policy.onCrash()]), ['restart', 'stop']);
    assert.match(new RestartPolicy({ maxRestarts: 0, windowMs: MINUTE, now: () => 0 }).onCrash().message, /crashed once within 1 minute/);
  });
});
