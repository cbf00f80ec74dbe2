import { describe, expect, it } from 'vitest';
import { PNP_NOTE } from '../../src/core/describeDraw.js';
import { testAnswers } from '../fixtures/deps.js';

// The frozen dataset (to round #434, Aug 7, 2026), the clock at 2026-11-25.
const answers = await testAnswers();

describe('/check without a category: one line per kind of draw', () => {
  it('/check 470: no lumped count; general first, then programs, then categories with their eligibility', async () => {
    const reply = await answers.text('/check 470');
    expect(reply.title).toBe('CRS 470 — draws since Nov 25, 2025');
    expect(reply.lines).toEqual([
      'Per kind of draw since Nov 25, 2025: only general draws are open to every program.',
      'General (open to every program): no draws; the latest, #294 on Apr 23, 2024, had a cut-off of 529.',
      'CEC (needs Canadian Experience Class eligibility): would have made 0 of 16 draws; latest cut-off 516 on Aug 5, 2026.',
      'PNP (needs a provincial nomination): would have made 0 of 18 draws; latest cut-off 768 on Aug 4, 2026; with a nomination 470 + 600 = 1,070 would have made 18 of 18.',
      'French (needs French-language proficiency): would have made 11 of 11 draws; latest cut-off 391 on Aug 6, 2026.',
      'Healthcare (needs healthcare or social services work experience): would have made 1 of 3 draws; latest cut-off 475 on Jun 25, 2026.',
      'Trades (needs work experience in a trade): would have made 0 of 1 draw; latest cut-off 477 on Apr 2, 2026.',
      'Transport (needs transport work experience): would have made 0 of 1 draw (1 more depends on when your profile was submitted); latest cut-off 470 on Aug 7, 2026.',
      'Physicians (needs Canadian work experience as a physician): would have made 2 of 2 draws; latest cut-off 223 on Jun 24, 2026.',
      'Senior managers (needs Canadian work experience as a senior manager): would have made 2 of 2 draws; latest cut-off 392 on Jul 10, 2026.',
      'Military (needs recruitment by the Canadian Armed Forces): would have made 1 of 1 draw; latest cut-off 368 on Jul 23, 2026.',
      'Add profile_date=YYYY-MM-DD to settle ties.',
      PNP_NOTE,
      'Table: the 15 newest of 55.',
    ]);
    expect(reply.lines!.join(' ')).not.toMatch(/made \d+ of 55/);
    expect(reply.table?.columns).toEqual(['Date', 'Round', 'Draw', 'Cut-off', '', 'Result']);
    expect(reply.table?.rows.slice(0, 4)).toEqual([
      ['2026-08-07', '#434', 'transport', '470', '?', 'tie: depends on when your profile was submitted: before Oct 11, 2025 14:55:49 UTC'],
      ['2026-08-06', '#433', 'French', '391', '✓', 'invited (+79)'],
      ['2026-08-05', '#432', 'CEC', '516', '✗', 'not invited (−46)'],
      ['2026-08-04', '#431', 'PNP', '768', '✗', 'not invited (−298)'],
    ]);
  });

  it('counts general draws in their own lane when the period has some', async () => {
    const reply = await answers.text('/check 467 since=2024-01-01');
    expect(reply.lines![1]).toBe('General (open to every program): would have made 0 of 9 draws; latest cut-off 529 on Apr 23, 2024.');
  });

  it("settles a lane's ties with profile_date", async () => {
    const healthcare = (reply: Awaited<ReturnType<typeof answers.text>>) => reply.lines!.find((line) => line.startsWith('Healthcare'));
    const open = await answers.text('/check 462 since=2025-11-01');
    expect(healthcare(open)).toBe(
      'Healthcare (needs healthcare or social services work experience): would have made 0 of 4 draws (1 more depends on when your profile was submitted); latest cut-off 475 on Jun 25, 2026.',
    );
    const settled = await answers.text('/check 462 since=2025-11-01 profile_date=2024-11-30');
    expect(healthcare(settled)).toBe(
      'Healthcare (needs healthcare or social services work experience): would have made 1 of 4 draws; latest cut-off 475 on Jun 25, 2026.',
    );
    expect(settled.lines).not.toContain('Add profile_date=YYYY-MM-DD to settle ties.');
  });

  it('says which draw was the latest when the period has none', async () => {
    const reply = await answers.text('/check 470 since=2026-08-08');
    expect(reply.lines).toEqual([
      'Latest draw, #434 on Aug 7, 2026 (transport, cut-off 470): tie: depends on when your profile was submitted: before Oct 11, 2025 14:55:49 UTC.',
      'No draw since Aug 8, 2026; the latest was #434 on Aug 7, 2026 (110 days ago).',
    ]);
  });
});

describe('/check pnp: PNP cut-offs explained', () => {
  it('/check 470 pnp: the score with a nomination, and the note on the 600 points', async () => {
    const reply = await answers.text('/check 470 pnp');
    expect(reply.title).toBe('CRS 470 — PNP draws since Nov 25, 2025');
    expect(reply.lines).toEqual([
      'Latest PNP draw, #431 on Aug 4, 2026 (cut-off 768): not invited (−298).',
      '470 would have made 0 of 18 PNP draws since Nov 25, 2025; with a nomination 470 + 600 = 1,070 would have made 18 of 18.',
      PNP_NOTE,
      'Table: the 15 newest of 18.',
    ]);
  });

  it('/check 700 pnp: a score above 600 is taken to hold its nomination already', async () => {
    const reply = await answers.text('/check 700 pnp');
    expect(reply.lines![1]).toBe('700 would have made 1 of 18 PNP draws since Nov 25, 2025.');
    expect(reply.lines).toContain(PNP_NOTE);
  });

  it('leaves the note out of answers without PNP draws', async () => {
    expect((await answers.text('/check 470 healthcare')).lines).not.toContain(PNP_NOTE);
  });
});
