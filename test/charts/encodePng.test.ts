import { createCanvas, loadImage } from '@napi-rs/canvas';
import { describe, expect, it } from 'vitest';
import { encodePng } from '../../src/charts/encodePng.js';
import { decodePng } from './decodePng.js';

describe('encodePng', () => {
  const rgba = Uint8Array.from([255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 10, 20, 30, 255, 250, 251, 253, 255, 0, 0, 0, 255]);

  it('round-trips pixels through an independent decoder', async () => {
    const image = decodePng(await encodePng(rgba, 3, 2));
    expect([image.width, image.height]).toEqual([3, 2]);
    expect([...image.rgba]).toEqual([...rgba]);
  });

  it('writes PNGs that Skia reads back pixel for pixel', async () => {
    const image = await loadImage(await encodePng(rgba, 3, 2));
    const ctx = createCanvas(3, 2).getContext('2d');
    ctx.drawImage(image, 0, 0);
    expect([...ctx.getImageData(0, 0, 3, 2).data]).toEqual([...rgba]);
  });

  it('copies the pixels before it returns, so the caller may reuse them', async () => {
    const pixels = Uint8Array.from(rgba);
    const pending = encodePng(pixels, 3, 2);
    pixels.fill(0);
    expect([...decodePng(await pending).rgba]).toEqual([...rgba]);
  });

  it('refuses a buffer of the wrong size', async () => {
    await expect(encodePng(rgba, 4, 2)).rejects.toThrow('Expected 32 bytes');
  });
});
