// The "news-dedupe/redis" entry: the Redis store, apart so that users without Redis never load its client.
export { redisStore, type RedisStoreOptions } from "./store/redis.js";
