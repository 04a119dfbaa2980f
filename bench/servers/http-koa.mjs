// Idiomatic koa 3 + @koa/router: the baseline kratos-ts' HTTP ratios are quoted against.
import Koa from 'koa';
import Router from '@koa/router';
import { greet, PORT } from './common.mjs';

const app = new Koa();
const router = new Router();
router.get('/helloworld/:name', (ctx) => {
  ctx.body = greet(ctx.params.name);
});
app.use(router.routes()).use(router.allowedMethods());
app.listen(PORT, '127.0.0.1');
