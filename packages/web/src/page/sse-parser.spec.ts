import { describe, expect, it } from 'vitest';
import { SseParser } from './sse-parser.js';

describe('SseParser', () => {
  it('parses events split across chunks, skips comments, keeps retry', () => {
    const parser = new SseParser();
    expect(parser.push('retry: 3000\n\n: keep-alive\n\nid: 1\nevent: ord')).toEqual([
      { event: 'message', data: '', retry: 3000 },
    ]);
    expect(parser.push('ers\ndata: [1,\ndata: 2]\n\n')).toEqual([{ event: 'orders', data: '[1,\n2]' }]);
    expect(parser.push('event: status\r\ndata: {}\r\n\r\n')).toEqual([{ event: 'status', data: '{}' }]);
  });
});
