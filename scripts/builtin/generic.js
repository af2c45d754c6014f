// The catch-all: with the highest priority number it is asked last, and takes every request
// no other provider claimed. Its scheme is "none", so nothing is verified.
return true;
