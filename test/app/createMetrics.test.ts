import { describe, expect, it } from 'vitest';
import { createMetrics } from '../../src/app/createMetrics.js';

describe('createMetrics: the role among several instances', () => {
  it('says whether this instance leads, and counts renewals, failovers and claims taken over', async () => {
    let leading = false;
    const metrics = createMetrics({ leader: () => leading });
    const scrape = async () => (await metrics.scrape()).body;
    // Every series from the start, at zero: alerting rules see them before the first event.
    expect(await scrape()).toMatch(/^eebot_leader 0$/m);
    expect(await scrape()).toMatch(/^eebot_lease_renewals_total\{outcome="ok"\} 0$/m);
    expect(await scrape()).toMatch(/^eebot_failovers_total 0$/m);
    expect(await scrape()).toMatch(/^eebot_claims_taken_over_total 0$/m);
    leading = true;
    metrics.leaseRenewal(true);
    metrics.leaseRenewal(true);
    metrics.leaseRenewal(false);
    metrics.failover();
    metrics.claimsTakenOver(3);
    const body = await scrape();
    expect(body).toMatch(/^eebot_leader 1$/m);
    expect(body).toMatch(/^eebot_lease_renewals_total\{outcome="ok"\} 2$/m);
    expect(body).toMatch(/^eebot_lease_renewals_total\{outcome="failed"\} 1$/m);
    expect(body).toMatch(/^eebot_failovers_total 1$/m);
    expect(body).toMatch(/^eebot_claims_taken_over_total 3$/m);
  });

  it('counts the answers shed (too old to send), per platform, from zero', async () => {
    const metrics = createMetrics();
    expect((await metrics.scrape()).body).toMatch(/^eebot_answers_shed_total\{platform="telegram"\} 0$/m);
    metrics.shed('telegram');
    expect((await metrics.scrape()).body).toMatch(/^eebot_answers_shed_total\{platform="telegram"\} 1$/m);
  });
});
