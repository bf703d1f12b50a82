import { defineRule } from '../rule.js';

/**
 * NET-IN3: every port a user gives is a port number.
 *
 * Reported by the constructs (phase `model`, `props.port()` in constructs/core/props.ts).
 */
export const PortsInRange = defineRule({
  id: 'NET-IN3',
  level: 'error',
  phase: 'model',
  title: 'Ports are whole numbers from 1 to 65535',
  lesson:
    'Port 0, a negative port, 65536 or 8080.5 is accepted by a typed `number` and rejected much later: by the API server ' +
    'for a Service, by HAProxy or nftables for an edge file, or not at all in a report. Each port is checked where it is given.',
  source: 'RFC 6335 (port numbers 0-65535, 0 reserved); Kubernetes ServicePort (1-65535); issue 18',
  fix: 'Give the port number the service listens on, from 1 to 65535.',
});
