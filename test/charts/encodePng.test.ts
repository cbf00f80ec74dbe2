import { createCanvas, loadImage } from '@napi-rs/canvas';
import { describe, expect, it } from 'vitest';
import { encodePng } from '../../src/charts/encodePng.js';
import { decodePng } from './decodePng.js';

describe('encodePng', () => {
  const rgba = Uint8Array.from([255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 10, 20, 30, 255, 250, 251, 253, 255, 0, 0, 0, 255]);

  it('round-trips pixels through an independent decoder', () => {
    const image = decodePng(encodePng(rgba, 3, 2));
    expect([image.width, image.height]).toEqual([3, 2]);
    expect([...image.rgba]).toEqual([...rgba]);
  });

  it('writes PNGs that Skia reads back pixel for pixel', async () => {
    const image = await loadImage(encodePng(rgba, 3, 2));
    const ctx = createCanvas(3, 2).getContext('2d');
    ctx.drawImage(image, 0, 0);
    expect([...ctx.getImageData(0, 0, 3, 2).data]).toEqual([...rgba]);
  });

  it('encodes each image afresh while it reuses its scanline buffer', () => {
    const first = encodePng(rgba, 3, 2);
    const other = encodePng(Uint8Array.from(rgba).reverse(), 3, 2);
    expect([...decodePng(first).rgba]).toEqual([...rgba]);
    expect([...decodePng(other).rgba]).toEqual([...rgba].reverse());
    expect([...decodePng(encodePng(rgba, 2, 3)).rgba]).toEqual([...rgba]);
  });

  it('refuses a buffer of the wrong size', () => {
    expect(() => encodePng(rgba, 4, 2)).toThrow('Expected 32 bytes');
  });
});
