// A Testcontainers (testcontainers-node) recipe: `await new XPaySimContainer().start()` runs the
// xpay-sim image on a random host port and waits for its HEALTHCHECK. Not run by xpay-sim's own
// suite (no Docker engine there): copy it into a project that has `testcontainers` installed.
//   docker build -t xpay-sim .          (in the xpay-sim repository, once)
//   const sim = await new XPaySimContainer().withSeed('ci').withFrozenClock('2026-03-01T10:00:00Z').start();
//   process.env.XPAY_API_URL = sim.getUrl();
//   …
//   await sim.stop();                  (SIGTERM: the simulator shuts down cleanly)
import { AbstractStartedContainer, GenericContainer, Wait, type StartedTestContainer } from 'testcontainers';

const PORT = 12111;

export class XPaySimContainer extends GenericContainer {
  constructor(image = 'xpay-sim:latest') {
    super(image);
    this.withExposedPorts(PORT).withWaitStrategy(Wait.forHealthCheck());
  }

  /** Same seed + same requests → same ids and bodies (XPAY_SIM_SEED). */
  withSeed(seed: string): this {
    return this.withEnvironment({ XPAY_SIM_SEED: seed });
  }

  /** Freeze every namespace's clock at this instant (XPAY_SIM_NOW). */
  withFrozenClock(iso: string): this {
    return this.withEnvironment({ XPAY_SIM_NOW: iso });
  }

  /** Deliver every namespace's events to your receiver, signed with `secret` (XPAY_SIM_WEBHOOK_URL/SECRET). */
  withWebhook(url: string, secret: string): this {
    return this.withEnvironment({ XPAY_SIM_WEBHOOK_URL: url, XPAY_SIM_WEBHOOK_SECRET: secret });
  }

  override async start(): Promise<StartedXPaySimContainer> {
    return new StartedXPaySimContainer(await super.start());
  }
}

export class StartedXPaySimContainer extends AbstractStartedContainer {
  constructor(started: StartedTestContainer) {
    super(started);
  }

  /** Base URL for XPAY_API_URL. */
  getUrl(): string {
    return `http://${this.getHost()}:${this.getMappedPort(PORT)}`;
  }
}
