import { decideAnswerMode } from './answer-mode';

describe('decideAnswerMode', () => {
  it("takes the provider's mode when no function is registered", () => {
    expect(decideAnswerMode({ providerMode: 'respond', functions: [], forced: null })).toEqual({ mode: 'respond', source: 'provider' });
  });

  it('lets the sync header win over everything', () => {
    expect(decideAnswerMode({ providerMode: 'async', functions: [{ id: 'a', answerMode: 'respond' }], forced: 'header' })).toEqual({ mode: 'sync', source: 'header' });
    expect(decideAnswerMode({ providerMode: 'async', functions: [], forced: 'query' })).toEqual({ mode: 'sync', source: 'query' });
  });

  it("names the function whose override is the strongest mode", () => {
    const decided = decideAnswerMode({
      providerMode: 'async',
      functions: [
        { id: 'a', answerMode: null },
        { id: 'b', answerMode: 'respond' },
        { id: 'c', answerMode: 'async' },
      ],
      forced: null,
    });
    expect(decided).toEqual({ mode: 'respond', source: 'function', functionId: 'b' });
  });

  it("keeps the provider's stronger mode over a function that asks for async", () => {
    const decided = decideAnswerMode({ providerMode: 'sync', functions: [{ id: 'a', answerMode: 'async' }, { id: 'b', answerMode: null }], forced: null });
    expect(decided).toEqual({ mode: 'sync', source: 'provider' });
  });

  it('lets every function override a stronger provider mode to async', () => {
    const decided = decideAnswerMode({ providerMode: 'respond', functions: [{ id: 'a', answerMode: 'async' }], forced: null });
    expect(decided).toEqual({ mode: 'async', source: 'function', functionId: 'a' });
  });
});
