package io.github.nsqspring.samples;

import java.math.BigDecimal;

/**
 * An order, published as JSON.
 *
 * @param number the order number
 * @param customer who ordered
 * @param amount the total
 */
public record Order(long number, String customer, BigDecimal amount) {

}
