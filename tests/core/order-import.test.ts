import { describe, expect, it } from 'vitest';
import { orderLineSource, orderLineState, splitAmount } from '../../src/core/order-import.ts';

describe('order line states', () => {
  it.each([
    ['交易成功', '', 'sale'],
    ['买家已付款，等待卖家发货', '没有申请退款', 'sale'],
    ['卖家已发货，等待买家确认', '', 'sale'],
    ['已签收', '无售后或售后取消', 'sale'],
    ['待发货', '', 'sale'],
    ['已发货，待签收', '退款中', 'sale'],
    ['完成', '', 'sale'],
    ['退款中', '', 'sale'],
    ['等待付款', '', 'cancelled'],
    ['交易关闭', '', 'cancelled'],
    ['交易关闭', '退款成功', 'refunded'],
    ['已关闭', '售后完成', 'refunded'],
    ['已发货，退款成功', '', 'refunded'],
    ['已取消', '', 'cancelled'],
    ['等待买家付款', '', 'cancelled'],
    ['待付款', '', 'cancelled'],
    ['未付款', '', 'cancelled'],
    ['(删除)锁定', '', 'unknown'],
    ['', '', 'unknown'],
  ])('%s / %s → %s', (status, refund, state) => {
    expect(orderLineState(status, refund)).toBe(state);
  });
});

describe('splitting an order amount over its lines', () => {
  it('adds up to the 分 and follows the weights', () => {
    expect(splitAmount(14700, [11800, 3900])).toEqual([11048, 3652]);
    expect(splitAmount(100, [1, 1, 1])).toEqual([34, 33, 33]);
    expect(splitAmount(5, [0, 0])).toEqual([3, 2]);
    for (const [total, weights] of [[99_999, [3, 7, 11, 13]], [1, [5, 5]], [0, [1, 2]]] as const) {
      expect(splitAmount(total, weights).reduce((a, b) => a + b, 0)).toBe(total);
    }
  });
});

describe('order line keys', () => {
  it('names the platform, the shop and the order line, and the refund apart', () => {
    expect(orderLineSource('taobao', 3, '4104400001', '4104401001')).toEqual({ platform: 'order:taobao', chatId: '3', messageId: '4104400001#4104401001' });
    expect(orderLineSource('jd', 3, '2800', 'TS-01', true).messageId).toBe('2800#TS-01#退款');
  });
});
