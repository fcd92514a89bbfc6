import nodemailer from 'nodemailer';
import type { Transporter } from 'nodemailer';

/** Sends plain-text email to readers (verification links). */
export interface Mailer {
  send(message: { to: string; subject: string; text: string }): Promise<void>;
}

/** A mailer over any nodemailer transport (SMTP in production; jsonTransport in tests). */
export function createTransportMailer(transport: Transporter, from: string): Mailer {
  return {
    async send(message) {
      await transport.sendMail({ from, ...message });
    },
  };
}

/** The SMTP mailer for MASTHEAD_SMTP_URL. */
export function createSmtpMailer(url: string, from: string): Mailer {
  return createTransportMailer(nodemailer.createTransport(url), from);
}
