package dev.tradeplane.model;

/** Whether a fill added liquidity to the book (maker) or took it (taker). */
public enum Liquidity {
    MAKER,
    TAKER
}
