/** The Region's module of the add-in: the panel the task pane mounts for region-reviewer users, and its parts. */
export * from './actions.ts';
export * from './api.ts';
export * from './host.ts';
export * from './panel.ts';
export * from './render.ts';
