import 'reflect-metadata';

export { Module } from './module.js';
export { Service } from './service.js';
export { Http, Get, Post, Put, Patch, Delete } from './http.js';
export type { HttpOptions, RouteOptions } from './http.js';
export { Rpc } from './rpc.js';
export type { RpcOptions } from './rpc.js';
export { Middleware, UseMiddleware } from './middleware.js';
export { Inject, Optional } from './inject.js';
export { Cached, CacheEvict } from './cache.js';
export type { CachedOptions } from './cache.js';
