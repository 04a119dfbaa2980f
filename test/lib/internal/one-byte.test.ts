import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { oneByte } from '../../../lib/internal/index.js';
import { heldOneByte } from '../../helpers/one-byte.js';

describe('oneByte', () => {
  it('should give a string of Latin-1 text held two bytes a character back held one byte a character, equal', () => {
    const two = 'Ā/helloworld.v1.Greeter/SayHello é'.slice(1);
    assert.equal(heldOneByte(two), false, 'the fixture is held two-byte');
    const one = oneByte(two);
    assert.equal(one, two);
    assert.ok(heldOneByte(one));
  });

  it('should leave text outside Latin-1 as it is', () => {
    for (const s of ['中文', 'emoji \u{1F600}', 'lone \ud800']) assert.equal(oneByte(s), s);
  });
});
