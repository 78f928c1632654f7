import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';

import { createSecretBox, type SecretBox } from '../../src/store/secret-box.js';
import { cachingSecretBox } from '../../src/webhooks/secret-cache.js';

function countingBox(): { box: SecretBox; opens: () => number } {
  const inner = createSecretBox(randomBytes(32));
  let opens = 0;
  return {
    box: {
      seal: (plain, context) => inner.seal(plain, context),
      open(sealed, context) {
        opens += 1;
        return inner.open(sealed, context);
      },
    },
    opens: () => opens,
  };
}

describe('cachingSecretBox', () => {
  it('opens a sealed secret once however often it is asked', () => {
    const { box, opens } = countingBox();
    const cached = cachingSecretBox(box);
    const sealed = box.seal('whsec_one', 'ep_1');

    assert.equal(cached.open(sealed, 'ep_1'), 'whsec_one');
    assert.equal(cached.open(sealed, 'ep_1'), 'whsec_one');
    assert.equal(opens(), 1);
  });

  it('answers with the new secret as soon as a rotation seals one', () => {
    const { box } = countingBox();
    const cached = cachingSecretBox(box);
    cached.open(box.seal('whsec_old', 'ep_1'), 'ep_1');

    const rotated = box.seal('whsec_new', 'ep_1');
    assert.equal(cached.open(rotated, 'ep_1'), 'whsec_new');
  });

  it('still refuses a sealed secret moved to another endpoint', () => {
    const { box } = countingBox();
    const cached = cachingSecretBox(box);
    const sealed = box.seal('whsec_one', 'ep_1');
    cached.open(sealed, 'ep_1');

    assert.throws(() => cached.open(sealed, 'ep_2'));
  });

  it('keeps answering correctly once it has started again empty', () => {
    const { box, opens } = countingBox();
    const cached = cachingSecretBox(box, 2);
    const sealed = ['a', 'b', 'c'].map((id) => box.seal(`whsec_${id}`, id));

    sealed.forEach((value, i) => cached.open(value, ['a', 'b', 'c'][i]!));
    assert.equal(cached.open(sealed[0]!, 'a'), 'whsec_a');
    assert.equal(opens(), 4);
  });
});
