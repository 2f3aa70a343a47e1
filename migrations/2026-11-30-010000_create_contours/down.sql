DROP TABLE contours;
