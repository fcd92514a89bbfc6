import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ROLES, type Actor, type Role } from '../accounts/role.ts';
import { ARTICLE_STATUSES, type ArticleStatus } from './article.ts';
import { ARTICLE_ACTIONS, WORKFLOW_ACTION_TYPES, assertCan, can, type ArticleAction, type WorkflowActionType } from './article-policy.ts';
import { transition, type WorkflowAction, type WorkflowState } from './article-workflow.ts';

const NOW = new Date('2026-11-25T12:00:00.000Z');
const IN_AN_HOUR = '2026-11-25T13:00:00.000Z';
const AN_HOUR_AGO = '2026-11-25T11:00:00.000Z';
const OWNER = 'user-owner';

function buildState(overrides: Partial<WorkflowState> = {}): WorkflowState {
  return { status: 'draft', publishedAt: null, updatedAt: null, embargoUntil: null, scheduledAt: null, createdBy: OWNER, ...overrides };
}

/** A state that is plausible for each status (scheduled stories carry a time, published ones a date). */
function stateIn(status: ArticleStatus): WorkflowState {
  switch (status) {
    case 'scheduled':
      return buildState({ status, scheduledAt: IN_AN_HOUR });
    case 'published':
    case 'unpublished':
      return buildState({ status, publishedAt: AN_HOUR_AGO });
    default:
      return buildState({ status });
  }
}

function actionOf(type: WorkflowActionType): WorkflowAction {
  return type === 'schedule' ? { type, at: IN_AN_HOUR } : { type };
}

/** The expected status after each action, per starting status; absent means "refused". */
const NEXT: Record<WorkflowActionType, Partial<Record<ArticleStatus, ArticleStatus>>> = {
  submit: { draft: 'in_review' },
  return_to_draft: { in_review: 'draft', unpublished: 'draft' },
  schedule: { draft: 'scheduled', in_review: 'scheduled', scheduled: 'scheduled', unpublished: 'scheduled' },
  publish: { draft: 'published', in_review: 'published', scheduled: 'published' },
  unpublish: { published: 'unpublished' },
  republish: { unpublished: 'published' },
  cancel_schedule: { scheduled: 'draft' },
};

/** What each role may do on its own stories (status-independent unless noted); nothing on others' stories. */
const OWN_RIGHTS: Record<Role, (action: ArticleAction, status: ArticleStatus) => boolean> = {
  contributor: (action, status) => status === 'draft' && (action === 'edit' || action === 'submit'),
  author: () => true,
  editor: () => true,
  admin: () => true,
};
const OTHERS_RIGHTS: Record<Role, boolean> = { contributor: false, author: false, editor: true, admin: true };

function expectedCan(role: Role, action: ArticleAction, status: ArticleStatus, own: boolean): boolean {
  return own ? OWN_RIGHTS[role](action, status) : OTHERS_RIGHTS[role];
}

describe('article policy: every role × action × status × ownership', () => {
  for (const role of ROLES) {
    for (const own of [true, false]) {
      const actor: Actor = { userId: own ? OWNER : 'someone-else', role };
      for (const action of ARTICLE_ACTIONS) {
        it(`${role} ${action} (${own ? 'own' : "another's"} story)`, () => {
          for (const status of ARTICLE_STATUSES) {
            const expected = expectedCan(role, action, status, own);
            assert.equal(can(actor, action, stateIn(status)), expected, `${role} ${action} ${status}`);
            if (expected) assert.doesNotThrow(() => assertCan(actor, action, stateIn(status)));
            else
              assert.throws(
                () => assertCan(actor, action, stateIn(status)),
                (e: { code?: string }) => e.code === 'forbidden',
              );
          }
        });
      }
    }
  }

  it('contributors never publish, schedule or unpublish, even their own drafts', () => {
    const contributor: Actor = { userId: OWNER, role: 'contributor' };
    for (const action of ['publish', 'schedule', 'unpublish', 'republish', 'cancel_schedule'] as const) {
      for (const status of ARTICLE_STATUSES) assert.equal(can(contributor, action, stateIn(status)), false);
    }
  });

  it('a story nobody created (an import) is nobody’s own', () => {
    const imported = buildState({ createdBy: null });
    assert.equal(can({ userId: OWNER, role: 'author' }, 'publish', imported), false);
    assert.equal(can({ userId: OWNER, role: 'editor' }, 'publish', imported), true);
  });
});

describe('article workflow: every role × action × status', () => {
  for (const role of ROLES) {
    for (const own of [true, false]) {
      const actor: Actor = { userId: own ? OWNER : 'someone-else', role };
      for (const type of WORKFLOW_ACTION_TYPES) {
        it(`${role} ${type} (${own ? 'own' : "another's"} story)`, () => {
          for (const status of ARTICLE_STATUSES) {
            const before = Object.freeze(stateIn(status));
            const result = transition(before, actionOf(type), actor, NOW);
            const next = NEXT[type][status];
            const allowed = next !== undefined && expectedCan(role, type, status, own);
            assert.equal(result.ok, allowed, `${role} ${type} from ${status}: ${result.ok ? 'allowed' : result.reason}`);
            if (result.ok) assert.equal(result.next.status, next);
            else assert.ok(result.reason.length > 10, 'a refusal says why');
          }
        });
      }
    }
  }

  it('the scheduler (no actor) may carry out any valid transition', () => {
    for (const type of WORKFLOW_ACTION_TYPES) {
      for (const status of ARTICLE_STATUSES) {
        assert.equal(transition(stateIn(status), actionOf(type), null, NOW).ok, NEXT[type][status] !== undefined, `${type} from ${status}`);
      }
    }
  });

  it('returns a new value and never modifies its input', () => {
    const before = Object.freeze(buildState());
    const result = transition(before, { type: 'schedule', at: IN_AN_HOUR }, null, NOW);
    assert.ok(result.ok);
    assert.notEqual(result.next, before);
    assert.equal(before.status, 'draft');
    assert.equal(result.next.scheduledAt, IN_AN_HOUR);
  });

  it('refuses a schedule in the past or an invalid time', () => {
    const past = transition(buildState(), { type: 'schedule', at: AN_HOUR_AGO }, null, NOW);
    assert.deepEqual(past, { ok: false, reason: `The scheduled time ${AN_HOUR_AGO} has passed; publish now instead.` });
    assert.equal(transition(buildState(), { type: 'schedule', at: 'soon' }, null, NOW).ok, false);
  });

  it('publishing now stamps the current time and clears any schedule', () => {
    const result = transition(stateIn('scheduled'), { type: 'publish' }, null, NOW);
    assert.ok(result.ok);
    assert.equal(result.next.publishedAt, NOW.toISOString());
    assert.equal(result.next.scheduledAt, null);
  });

  it('a due schedule publishes at its announced time, even when carried out late', () => {
    const due = buildState({ status: 'scheduled', scheduledAt: AN_HOUR_AGO });
    const result = transition(due, { type: 'publish' }, null, NOW);
    assert.ok(result.ok);
    assert.equal(result.next.publishedAt, AN_HOUR_AGO);
  });

  it('republishing keeps the first publication time and stamps an update', () => {
    const result = transition(stateIn('unpublished'), { type: 'republish' }, null, NOW);
    assert.ok(result.ok);
    assert.equal(result.next.publishedAt, AN_HOUR_AGO);
    assert.equal(result.next.updatedAt, NOW.toISOString());
  });
});

describe('article workflow: embargo', () => {
  const embargoed = (overrides: Partial<WorkflowState> = {}) => buildState({ embargoUntil: IN_AN_HOUR, ...overrides });

  it('refuses to publish or republish before the embargo, with the reason', () => {
    for (const [state, type] of [
      [embargoed(), 'publish'],
      [embargoed({ status: 'in_review' }), 'publish'],
      [embargoed({ status: 'unpublished', publishedAt: AN_HOUR_AGO }), 'republish'],
    ] as const) {
      const result = transition(state, { type }, null, NOW);
      assert.deepEqual(result, {
        ok: false,
        reason: `The story is under embargo until ${IN_AN_HOUR}; it cannot be published before then.`,
      });
    }
  });

  it('refuses to schedule before the embargo, and accepts the embargo time itself', () => {
    const early = transition(embargoed(), { type: 'schedule', at: '2026-11-25T12:30:00.000Z' }, null, NOW);
    assert.equal(early.ok, false);
    assert.match(early.ok ? '' : early.reason, /under embargo until 2026-11-25T13:00:00.000Z/);
    const onTime = transition(embargoed(), { type: 'schedule', at: IN_AN_HOUR }, null, NOW);
    assert.ok(onTime.ok);
  });

  it('publishes once the embargo has passed, never with a publication time before it', () => {
    const lifted = buildState({ status: 'scheduled', scheduledAt: '2026-11-25T10:00:00.000Z', embargoUntil: AN_HOUR_AGO });
    const result = transition(lifted, { type: 'publish' }, null, NOW);
    assert.ok(result.ok);
    assert.equal(result.next.publishedAt, AN_HOUR_AGO, 'publishedAt moves up to the embargo');
  });
});
