import type { Selectable } from 'kysely';
import type { WebhookDeliveryTable, WebhookTable } from '../../db/schema.ts';

/**
 * Events an admin can subscribe a hook to. `comment.posted` is raised by the comments
 * domain when a comment is published; the article events by the article services; the
 * live entry events by the live entry service.
 */
export const WEBHOOK_EVENT_TYPES = [
  'article.published',
  'article.updated',
  'article.unpublished',
  'article.deleted',
  'comment.posted',
  'live_entry.published',
  'live_entry.updated',
  'live_entry.deleted',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** Sent only by the newsroom's "send test ping" to one hook; nobody subscribes to it. */
export const PING_EVENT = 'webhook.ping';

export const WEBHOOK_EVENT_LABELS: Record<WebhookEventType, string> = {
  'article.published': 'Story published',
  'article.updated': 'Published story updated (saved, update or correction note)',
  'article.unpublished': 'Story unpublished',
  'article.deleted': 'Story deleted',
  'comment.posted': 'Comment posted',
  'live_entry.published': 'Live blog entry published',
  'live_entry.updated': 'Published live blog entry edited or corrected',
  'live_entry.deleted': 'Published live blog entry deleted',
};

export function isWebhookEventType(value: string): value is WebhookEventType {
  return (WEBHOOK_EVENT_TYPES as readonly string[]).includes(value);
}

export const DELIVERY_STATUSES = ['pending', 'delivering', 'succeeded', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** A registered hook as the newsroom sees it: the secret is never part of it. */
export interface Webhook {
  id: string;
  url: string;
  description: string;
  events: WebhookEventType[];
  enabled: boolean;
  disabledReason: string | null;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
  secretRotatedAt: string | null;
}

export interface WebhookDelivery {
  id: string;
  webhookId: string;
  event: string;
  eventId: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: string;
  lastStatusCode: number | null;
  lastError: string | null;
  responseExcerpt: string | null;
  createdAt: string;
  lastAttemptAt: string | null;
  deliveredAt: string | null;
  payload: string;
}

/** The event types stored in a hook's `events` column (unknown ones are dropped). */
export function parseEvents(text: string): WebhookEventType[] {
  try {
    const value = JSON.parse(text) as unknown;
    return Array.isArray(value) ? value.filter((e): e is WebhookEventType => typeof e === 'string' && isWebhookEventType(e)) : [];
  } catch {
    return [];
  }
}

export function rowToWebhook(r: Selectable<WebhookTable>): Webhook {
  return {
    id: r.id,
    url: r.url,
    description: r.description,
    events: parseEvents(r.events),
    enabled: r.enabled === 1,
    disabledReason: r.disabled_reason,
    createdBy: r.created_by,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    secretRotatedAt: r.secret_rotated_at,
  };
}

export function rowToDelivery(r: Selectable<WebhookDeliveryTable>): WebhookDelivery {
  return {
    id: r.id,
    webhookId: r.webhook_id,
    event: r.event,
    eventId: r.event_id,
    status: r.status as DeliveryStatus,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    lastStatusCode: r.last_status_code,
    lastError: r.last_error,
    responseExcerpt: r.response_excerpt,
    createdAt: r.created_at,
    lastAttemptAt: r.last_attempt_at,
    deliveredAt: r.delivered_at,
    payload: r.payload,
  };
}
