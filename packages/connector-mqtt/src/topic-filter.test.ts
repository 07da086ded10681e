import { describe, expect, it } from 'vitest';
import { topicFilterProblem, topicMatches } from './topic-filter.js';

// Cases from MQTT 3.1.1, section 4.7 (Topic Names and Topic Filters).
describe('MQTT topic filters', () => {
  it.each([
    ['sport/tennis/player1/#', 'sport/tennis/player1', true],
    ['sport/tennis/player1/#', 'sport/tennis/player1/ranking', true],
    ['sport/tennis/player1/#', 'sport/tennis/player1/score/wimbledon', true],
    ['sport/#', 'sport', true],
    ['sport/tennis/+', 'sport/tennis/player1', true],
    ['sport/tennis/+', 'sport/tennis/player1/ranking', false],
    ['sport/+', 'sport', false],
    ['sport/+', 'sport/', true],
    ['+/+', '/finance', true],
    ['/+', '/finance', true],
    ['+', '/finance', false],
    ['#', '$SYS/broker/load', false],
    ['+/monitor/Clients', '$SYS/monitor/Clients', false],
    ['$SYS/#', '$SYS/broker/load', true],
  ])('%s matches %s: %s', (filter, topic, expected) => {
    expect(topicMatches(filter, topic)).toBe(expected);
  });

  it('refuses misplaced wildcards', () => {
    expect(topicFilterProblem('sport/tennis#')).toMatch(/stand alone/);
    expect(topicFilterProblem('sport/#/ranking')).toMatch(/last level/);
    expect(topicFilterProblem('sport+')).toMatch(/stand alone/);
    expect(topicFilterProblem('sport/+/player1')).toBeUndefined();
  });
});
