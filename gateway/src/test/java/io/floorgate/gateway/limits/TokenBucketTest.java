package io.floorgate.gateway.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class TokenBucketTest {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    @Test
    void tryTake_whenBurstIsSpent_thenRefusesUntilRefilled() {
        TokenBucket bucket = new TokenBucket(10, 3, 0);
        assertThat(bucket.tryTake(0)).isTrue();
        assertThat(bucket.tryTake(0)).isTrue();
        assertThat(bucket.tryTake(0)).isTrue();
        assertThat(bucket.tryTake(0)).isFalse();
        assertThat(bucket.nanosUntilToken(0)).isEqualTo(SECOND / 10);
        assertThat(bucket.tryTake(SECOND / 10)).isTrue();
    }

    @Test
    void tryTake_whenIdleForLong_thenNeverHoldsMoreThanBurst() {
        TokenBucket bucket = new TokenBucket(10, 2, 0);
        long later = 100 * SECOND;
        assertThat(bucket.tryTake(later)).isTrue();
        assertThat(bucket.tryTake(later)).isTrue();
        assertThat(bucket.tryTake(later)).isFalse();
    }

    @Test
    void refund_whenMessageCouldNotGoFurther_thenTokenIsBack() {
        TokenBucket bucket = new TokenBucket(1, 1, 0);
        assertThat(bucket.tryTake(0)).isTrue();
        bucket.refund();
        assertThat(bucket.tryTake(0)).isTrue();
    }

    @Test
    void reconfigure_whenLimitsShrink_thenTakesEffectWithoutRefill() {
        TokenBucket bucket = new TokenBucket(100, 100, 0);
        bucket.reconfigure(1, 1);
        assertThat(bucket.tryTake(0)).isTrue();
        assertThat(bucket.tryTake(0)).isFalse();
    }
}
