// @polis/testkit: test a plugin against a real kernel: startTestKernel, the event recorder,
// and a fake clock.
export { standIn, startTestKernel } from './start-test-kernel.js';
// Binding a mock service: `startTestKernel({ services: [bindService(ref, mock)] })`.
export { bindService } from '@polis/kernel';
export type { QueryStandIn, TestKernel, TestKernelOptions } from './start-test-kernel.js';
export { EventRecorder } from './event-recorder.js';
export type { ExpectOptions } from './event-recorder.js';
export { FakeClock } from './fake-clock.js';
