export { open311Routes } from './open311-routes.js';
export type { Open311Options } from './open311-routes.js';
export { defaultServices } from './service-catalogue.js';
export type { CityBounds, Open311Service, ServiceAttribute } from './service-catalogue.js';
export type { ServiceRequest } from './request-store.js';
export { accountabilityView } from './accountability-view.js';
export type { AccountabilityRules, AccountabilityView, CaseChain, ChainEvent, DepartmentFigures, ServiceLevel } from './accountability-view.js';
export { ChainRecorder } from './chain-recorder.js';
export { transparencyPage, escapeHtml } from './transparency-page.js';
