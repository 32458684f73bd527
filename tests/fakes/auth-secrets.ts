// Test values for the secrets auth reads, set before any app module is imported (import this file
// first): a low bcrypt cost so that tests hash in milliseconds, and a fixed token key. Values
// already in the environment win.
export const TEST_JWT_SECRET = "test-secret-for-war-room-tests-0123456789";
process.env.BCRYPT_COST ??= "4";
process.env.JWT_SECRET ??= TEST_JWT_SECRET;
