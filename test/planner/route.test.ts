import { describe, expect, it } from 'vitest';
import { parseRoute, routeHref } from '../../src/ui/util/route';
import { planFromQuery, planToQuery, parsePlan } from '../../src/planner/spec';

describe('the planner route', () => {
  it('#/planner?<plan> is a deep link to a plan, and back', () => {
    const plan = parsePlan({ computes: 3, pins: ['none', 'article'] });
    const href = routeHref({ name: 'planner', query: planToQuery(plan) });
    expect(href).toBe('#/planner?from=juno&to=kilo&computes=3&pins=none%3Barticle&workload=boot%2Cstop_start%2Creboot%2Cshelve');
    const r = parseRoute(href);
    expect(r.name).toBe('planner');
    expect(planFromQuery((r as { query: string }).query)).toEqual(plan);
    expect(parseRoute('#/planner')).toEqual({ name: 'planner', query: '' });
    expect(parseRoute('#/sandbox')).toEqual({ name: 'sandbox' });
  });
});
