import { Router } from 'express';
import type { Database } from '../db/database';

/**
 * Liveness (the process answers) and readiness (the database answers and takes writes, and the
 * gateway is not stopping: a load balancer stops sending while the running requests finish).
 */
export function healthRouter(db: Database, stopping: () => boolean): Router {
  const router = Router();
  router.get('/health/live', (_req, res) => {
    res.json({ status: 'live' });
  });
  router.get('/health/ready', async (_req, res) => {
    if (stopping()) res.status(503).json({ status: 'stopping', code: 'SERVICE_UNAVAILABLE' });
    else if (await db.writable()) res.json({ status: 'ready' });
    else res.status(503).json({ status: 'unavailable', code: 'SERVICE_UNAVAILABLE' });
  });
  return router;
}
