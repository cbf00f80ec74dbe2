import { describe, expect, it, vi } from 'vitest';
import { PacedDispatcher } from '../../src/alerts/pacedDispatcher.js';
import { RateLimiter, type RateLimits } from '../../src/lib/rateLimiter.js';

/**
 * A dispatcher on a fake clock: 10 requests a second, exactly 100 ms apart, unless `limits` say
 * otherwise. Its sleep moves the clock (and records each wait) instead of waiting, unless `sleep`
 * replaces it.
 */
function setup(options: { maxInFlight?: number; limits?: RateLimits; sleep?: (ms: number, signal: AbortSignal) => Promise<void> } = {}) {
  const clock = { t: 1_000_000 };
  const limiter = new RateLimiter(options.limits ?? { perSecond: 10, headroom: 0 }, () => clock.t);
  const slept: number[] = [];
  /** Called at each sleep, before the clock moves: a 429 coming back meanwhile. */
  const during: { sleep?: (ms: number) => void } = {};
  const sleep =
    options.sleep ??
    (async (ms: number, signal: AbortSignal) => {
      slept.push(ms);
      during.sleep?.(ms);
      if (!signal.aborted) clock.t += ms;
    });
  const dispatcher = new PacedDispatcher({ limiter, sleep, maxInFlight: options.maxInFlight });
  return { clock, limiter, slept, during, dispatcher };
}

const never = new AbortController().signal;

/** A request that stays on the wire until `settle()` (or `fail()`). */
function held() {
  const state = { started: 0 };
  let settle!: () => void;
  let fail!: (error: Error) => void;
  const answer = new Promise<void>((resolve, reject) => {
    settle = resolve;
    fail = reject;
  });
  const request = () => {
    state.started++;
    return answer;
  };
  return { request, settle, fail, state };
}

/** Whether a promise has settled yet, and with what. */
function track<T>(promise: Promise<T>) {
  const state: { done: boolean; value?: T } = { done: false };
  void promise.then((value) => {
    state.done = true;
    state.value = value;
  });
  return state;
}

/** Lets every pending callback and timer-free continuation run (to show something did NOT happen). */
async function flush(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
}

describe('PacedDispatcher', () => {
  it('paces by the limiter: waits out delay(chat), asking again after every sleep, and spends the budget only at start', async () => {
    const { dispatcher, clock, slept, during, limiter } = setup();
    const lane = dispatcher.lane();
    const t0 = clock.t;
    expect(await lane.paced('a', never)).toBe(true);
    expect(slept).toEqual([]);
    lane.start('a', async () => undefined);
    // The next slot is an interval later.
    expect(await lane.paced('b', never)).toBe(true);
    expect(slept).toEqual([100]);
    expect(clock.t - t0).toBe(100);
    lane.start('b', async () => undefined);

    // A turn given back spends nothing: the slot after b's is still free for the next one.
    expect(await lane.paced('c', never)).toBe(true);
    expect(clock.t - t0).toBe(200);
    lane.release('c');
    expect(limiter.delay('d')).toBe(0);
    expect(await lane.paced('d', never)).toBe(true);
    expect(slept).toEqual([100, 100]);
    lane.start('d', async () => undefined);

    // A 429 comes back during the wait: asked again after the sleep, the budget says wait it out.
    const t1 = clock.t;
    during.sleep = () => {
      during.sleep = undefined;
      limiter.pause(t1 + 5000);
    };
    expect(await lane.paced('e', never)).toBe(true);
    expect(slept.slice(2)).toEqual([100, 4900]);
    expect(clock.t).toBe(t1 + 5000);
    await lane.settled();
  });

  it("holds the budget from the moment a turn finds it ready to that turn's start: another lane's turn takes the next slot", async () => {
    const { dispatcher, clock, slept } = setup();
    const sender = dispatcher.lane();
    const editor = dispatcher.lane(10);
    const t0 = clock.t;
    expect(await sender.paced('a', never)).toBe(true);
    // The budget is ready for b too, yet a's turn (between its pace and its start: a claim, a reply) holds it.
    const edit = track(editor.paced('b', never));
    await flush();
    expect(edit.done).toBe(false);
    sender.start('a', async () => undefined);
    await vi.waitFor(() => expect(edit.done).toBe(true));
    expect(edit.value).toBe(true);
    expect(slept).toEqual([100]);
    expect(clock.t - t0).toBe(100);
    editor.start('b', async () => undefined);

    // Given back instead of started: the waiting turn goes in the same slot, no sleep.
    expect(await sender.paced('c', never)).toBe(true);
    const next = track(editor.paced('d', never));
    await flush();
    expect(next.done).toBe(false);
    sender.release('c');
    await vi.waitFor(() => expect(next.value).toBe(true));
    expect(slept).toEqual([100, 100]);
    editor.release('d');
  });

  it('caps the turns over every lane, and a lane within its own cap', async () => {
    const { dispatcher } = setup({ maxInFlight: 3, limits: {} });
    const sender = dispatcher.lane();
    const editor = dispatcher.lane(2);
    const [e1, e2, s1, s2request] = [held(), held(), held(), held()];
    for (const [chat, edit] of [
      ['e1', e1],
      ['e2', e2],
    ] as const) {
      expect(await editor.paced(chat, never)).toBe(true);
      editor.start(chat, edit.request);
    }
    expect(editor.inFlight).toBe(2);
    // The editor is at its own cap: its next turn waits...
    const editorSlot = track(editor.whenSlotFree(never));
    const e3 = track(editor.paced('e3', never));
    await flush();
    expect(editorSlot.done).toBe(false);
    expect(e3.done).toBe(false);
    expect(editor.busy('e3')).toBe(false);
    // ...while the sender still has room within the shared cap, until it is full.
    expect(await sender.paced('s1', never)).toBe(true);
    sender.start('s1', s1.request);
    expect(dispatcher.inFlight).toBe(3);
    const senderSlot = track(sender.whenSlotFree(never));
    const s2 = track(sender.paced('s2', never));
    await flush();
    expect(senderSlot.done).toBe(false);
    expect(s2.done).toBe(false);

    // The sender's request settles: its slot is the sender's again; the editor is still at its own cap.
    s1.settle();
    await vi.waitFor(() => expect(s2.value).toBe(true));
    expect(senderSlot.done).toBe(true);
    sender.start('s2', s2request.request);
    await flush();
    expect(e3.done).toBe(false);
    expect(dispatcher.inFlight).toBe(3);

    // An edit settles: the editor's waiting turn takes its place (the sender's s2 kept the shared slot it had).
    e1.settle();
    await vi.waitFor(() => expect(e3.value).toBe(true));
    expect(editorSlot.done).toBe(true);
    expect([editor.inFlight, sender.inFlight, dispatcher.inFlight]).toEqual([2, 1, 3]);
    editor.release('e3');
    e2.settle();
    s2request.settle();
    await dispatcher.settled();
    expect(dispatcher.inFlight).toBe(0);
  });

  it('gives a chat one request at a time whichever lane asks: a send in flight blocks an edit, and the reverse', async () => {
    const { dispatcher } = setup({ limits: {} });
    const sender = dispatcher.lane();
    const editor = dispatcher.lane(10);
    const send = held();
    expect(await sender.paced('42', never)).toBe(true);
    sender.start('42', send.request);
    expect(send.state.started).toBe(1);
    expect(editor.busy('42')).toBe(true);
    // Refused at once, holding nothing (the editor leaves the row owed), while other chats go.
    expect(await editor.paced('42', never)).toBe(false);
    expect(dispatcher.inFlight).toBe(1);
    expect(await editor.paced('7', never)).toBe(true);
    editor.release('7');

    send.settle();
    await sender.settled();
    expect(editor.busy('42')).toBe(false);
    expect(await editor.paced('42', never)).toBe(true);
    const edit = held();
    editor.start('42', edit.request);
    expect(sender.busy('42')).toBe(true);
    expect(await sender.paced('42', never)).toBe(false);
    expect(() => sender.start('42', async () => undefined)).toThrow();
    expect(dispatcher.inFlight).toBe(1);
    edit.settle();
    await editor.settled();
    expect(sender.busy('42')).toBe(false);
  });

  it('a turn waiting for its pace holds its chat; stopping (the signal) or keepWaiting ends the wait, holding nothing', async () => {
    const sleeping: Array<{ ms: number; signal: AbortSignal }> = [];
    const sleep = (ms: number, signal: AbortSignal) =>
      new Promise<void>((resolve) => {
        sleeping.push({ ms, signal });
        signal.addEventListener('abort', () => resolve(), { once: true });
      });
    const { dispatcher, limiter, clock } = setup({ sleep });
    const sender = dispatcher.lane();
    const editor = dispatcher.lane(10);
    limiter.pause(clock.t + 30_000); // a 429: everything waits 30 s
    const stopping = new AbortController();
    const send = track(sender.paced('42', stopping.signal));
    await vi.waitFor(() => expect(sleeping).toHaveLength(1));
    expect(sleeping[0]!.ms).toBe(30_000);
    expect(editor.busy('42')).toBe(true);
    expect(await editor.paced('42', never)).toBe(false);
    stopping.abort();
    await vi.waitFor(() => expect(send.done).toBe(true));
    expect(send.value).toBe(false);
    expect([editor.busy('42'), dispatcher.inFlight]).toEqual([false, 0]);

    // keepWaiting, asked after each wait (the sender's rows going in doubt).
    let wanted = true;
    const paused = new AbortController();
    const edit = track(editor.paced('7', paused.signal, () => wanted));
    await vi.waitFor(() => expect(sleeping).toHaveLength(2));
    wanted = false;
    paused.abort(); // wakes the sleep, as the sender's idle wake does
    await vi.waitFor(() => expect(edit.value).toBe(false));
    expect(dispatcher.inFlight).toBe(0);
  });

  it('settleOne waits for a turn to end (not to start), and answers at once when none is held', async () => {
    const { dispatcher } = setup({ limits: {} });
    const sender = dispatcher.lane();
    const editor = dispatcher.lane(10);
    expect(await sender.settleOne()).toBe(false);
    const send = held();
    expect(await sender.paced('1', never)).toBe(true);
    sender.start('1', send.request);
    const one = track(sender.settleOne());
    expect(await editor.paced('2', never)).toBe(true);
    editor.start('2', held().request);
    await flush();
    expect(one.done).toBe(false);
    send.settle();
    await vi.waitFor(() => expect(one.value).toBe(true));

    // A turn given back ends too; a stop signal ends the wait.
    expect(await sender.paced('3', never)).toBe(true);
    const given = track(editor.settleOne());
    sender.release('3');
    await vi.waitFor(() => expect(given.value).toBe(true));
    const stopping = new AbortController();
    const stopped = track(sender.settleOne(stopping.signal));
    await flush();
    expect(stopped.done).toBe(false);
    stopping.abort();
    await vi.waitFor(() => expect(stopped.done).toBe(true));
  });

  it("stop waits for the requests in flight: a lane's own, or every lane's; a failed request frees its chat", async () => {
    const { dispatcher } = setup({ limits: {} });
    const sender = dispatcher.lane();
    const editor = dispatcher.lane(10);
    const [send, edit] = [held(), held()];
    expect(await sender.paced('1', never)).toBe(true);
    sender.start('1', send.request);
    expect(await editor.paced('2', never)).toBe(true);
    editor.start('2', edit.request);
    const senderStopped = track(sender.settled());
    const allStopped = track(dispatcher.settled());
    await flush();
    expect([senderStopped.done, allStopped.done]).toEqual([false, false]);
    send.settle();
    await vi.waitFor(() => expect(senderStopped.done).toBe(true));
    await flush();
    expect(allStopped.done).toBe(false);
    edit.fail(new Error('the request failed'));
    await vi.waitFor(() => expect(allStopped.done).toBe(true));
    expect([sender.busy('1'), editor.busy('2'), dispatcher.inFlight]).toEqual([false, false, 0]);
  });

  it("whenSlotFree ends on the stop signal too; a lane cannot start or give back another's turn", async () => {
    const { dispatcher } = setup({ maxInFlight: 1, limits: {} });
    const sender = dispatcher.lane();
    const editor = dispatcher.lane();
    expect(await sender.paced('1', never)).toBe(true);
    const stopping = new AbortController();
    const slot = track(editor.whenSlotFree(stopping.signal));
    const turn = track(editor.paced('2', stopping.signal));
    await flush();
    expect([slot.done, turn.done]).toEqual([false, false]);
    stopping.abort();
    await vi.waitFor(() => expect(turn.done).toBe(true));
    expect([slot.done, turn.value]).toEqual([true, false]);

    editor.release('1');
    expect(() => editor.start('1', async () => undefined)).toThrow();
    expect(sender.busy('1')).toBe(true);
    const send = held();
    sender.start('1', send.request);
    sender.release('1'); // after start: nothing
    expect(sender.busy('1')).toBe(true);
    send.settle();
    await sender.settled();
    expect(dispatcher.inFlight).toBe(0);
  });
});
