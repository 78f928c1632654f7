import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Slots } from '../../src/webhooks/slots.js';

describe('the slots of deliveries in flight', () => {
  it('counts what is held overall and per endpoint', () => {
    const slots = new Slots(4, 2);
    slots.take('ep_a');
    slots.take('ep_a');
    slots.take('ep_b');
    const now = slots.available([]);
    assert.equal(slots.busy, 3);
    assert.equal(now.free, 1);
    assert.equal(now.capacity('ep_a'), 0);
    assert.equal(now.capacity('ep_b'), 1);
    assert.equal(now.capacity('ep_c'), 2);
  });

  it('counts the slots a round releases as free for its claim', () => {
    const slots = new Slots(4, 2);
    for (const id of ['ep_a', 'ep_a', 'ep_b', 'ep_c']) slots.take(id);
    const next = slots.available(['ep_a', 'ep_c']);
    assert.equal(next.free, 2);
    assert.equal(next.capacity('ep_a'), 1);
    assert.equal(next.capacity('ep_b'), 1);
    assert.equal(next.capacity('ep_c'), 2);
  });

  it('frees an endpoint entirely when its last slot is given back', () => {
    const slots = new Slots(4, 2);
    slots.take('ep_a');
    slots.give('ep_a');
    assert.equal(slots.busy, 0);
    assert.equal(slots.available([]).capacity('ep_a'), 2);
  });
});
