// /p/{linkId}: the payment link page (placeholder until payment links land).
import type { Router } from 'express';
import type { Simulator } from '../simulator.js';
import { notFoundPage } from './layout.js';
import { sendHtml } from './checkout-flow.js';

export function mountLinkRoutes(app: Router, sim: Simulator): void {
  void sim;
  app.all('/p/:id', (_req, res) => sendHtml(res, 404, notFoundPage()));
}
